package dev.todoapi.order;

import static org.assertj.core.api.Assertions.assertThat;

import dev.todoapi.db.EmbeddedPostgresSupport;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL orders order keys under {@code COLLATE "C"} exactly as {@link String#compareTo} does, so a
 * {@code text COLLATE "C"} column sorts items as {@link OrderKeys} placed them. A fresh empty database on
 * the test server; no Spring.
 */
class OrderKeysCollationTest {

    @Test
    void postgresqlSortsKeysLikeJava() throws Exception {
        // 2,000 keys with negative and positive integer parts, digits, upper- and lower-case letters
        Random random = new Random(11L);
        List<String> list = new ArrayList<>();
        for (int i = 0; i < 1_500; i++) {
            int position = random.nextInt(list.size() + 1);
            list.add(position, OrderKeys.between(position > 0 ? list.get(position - 1) : null,
                    position < list.size() ? list.get(position) : null));
        }
        list.addAll(0, OrderKeys.between(null, list.getFirst(), 250));
        list.addAll(OrderKeys.between(list.getLast(), null, 250));
        List<String> javaOrder = new ArrayList<>(list);
        Collections.sort(javaOrder);
        assertThat(javaOrder).hasSize(2_000).doesNotHaveDuplicates().isEqualTo(list);
        assertThat(javaOrder).anyMatch(k -> k.startsWith("Y")).anyMatch(k -> k.startsWith("b"))
                .anyMatch(k -> k.chars().skip(1).anyMatch(Character::isUpperCase))
                .anyMatch(k -> k.chars().skip(1).anyMatch(Character::isLowerCase));

        List<String> shuffled = new ArrayList<>(list);
        Collections.shuffle(shuffled, random);
        DataSource database = EmbeddedPostgresSupport.freshDatabase();
        List<String> postgresOrder = new ArrayList<>();
        try (Connection connection = database.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT k FROM unnest(?::text[]) AS t(k) ORDER BY k COLLATE \"C\"")) {
            Array keys = connection.createArrayOf("text", shuffled.toArray());
            select.setArray(1, keys);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    postgresOrder.add(rows.getString(1));
                }
            }
        }
        assertThat(postgresOrder).isEqualTo(javaOrder);
    }
}
