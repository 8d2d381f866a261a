package dev.todoapi.shard;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The rule on statements written for the purpose: single-shard ones pass, each kind of fan-out is caught. */
class ShardKeyRuleTest {

    @Test
    void statementsPinnedToOneUserPass() {
        assertThat(ShardKeyRule.violations("select * from tasks where tasks.user_id = ? and tasks.id = ?")).isEmpty();
        assertThat(ShardKeyRule.violations("select * from tasks where user_id = ? for update")).isEmpty();
        assertThat(ShardKeyRule.violations("""
                select t.*, (select array_agg(tt.tag_id) from task_tags tt where tt.user_id = ? and tt.task_id = t.id)
                from tasks t where t.user_id = ? order by t.created_at desc limit 51""")).isEmpty();
        assertThat(ShardKeyRule.violations("""
                select tags.*, count(tasks.id) from tags
                left join task_tags on task_tags.user_id = ? and task_tags.tag_id = tags.id
                left join tasks on tasks.user_id = ? and tasks.id = task_tags.task_id
                where tags.user_id = ? group by tags.user_id, tags.id""")).isEmpty();
        assertThat(ShardKeyRule.violations("insert into tasks (user_id, title) values (?, ?), (?, ?) returning *")).isEmpty();
        assertThat(ShardKeyRule.violations("update tasks set version = version + 1 where user_id = ? and id in "
                + "(select task_id from task_tags where task_tags.user_id = ? and tag_id = ?)")).isEmpty();
        assertThat(ShardKeyRule.violations("select * from users where id = ?")).isEmpty();
        assertThat(ShardKeyRule.violations("select user_id from user_emails where email_lower = ?")).isEmpty();
        assertThat(ShardKeyRule.violations("select 1")).isEmpty();
        assertThat(ShardKeyRule.violations("select * from rate_limit_buckets where id = ?")).as("a reference table").isEmpty();
    }

    @Test
    void fanOutsAreCaught() {
        assertThat(ShardKeyRule.violations("select * from refresh_tokens where token_hash = ? for update"))
                .containsExactly("refresh_tokens has no refresh_tokens.user_id = <bind value> in its query block");
        assertThat(ShardKeyRule.violations("""
                select tasks.*, (select array_agg(task_tags.tag_id) from task_tags
                                 where task_tags.user_id = tasks.user_id and task_tags.task_id = tasks.id)
                from tasks where tasks.user_id = ?""")).as("a correlation is not a bind value")
                .containsExactly("task_tags has no task_tags.user_id = <bind value> in its query block");
        assertThat(ShardKeyRule.violations("""
                select tasks.*, (select coalesce(jsonb_agg(jsonb_build_array(t."v0")), jsonb_build_array())
                                 from (select tags.id as v0 from task_tags join tags on tags.user_id = ? and tags.id = task_tags.tag_id
                                       where task_tags.user_id = tasks.user_id and task_tags.task_id = tasks.id) as t) as tags
                from tasks where tasks.user_id = ? and tasks.id = ? for update of tasks"""))
                .as("a correlated MULTISET, as jOOQ renders it")
                .containsExactly("task_tags has no task_tags.user_id = <bind value> in its query block");
        assertThat(ShardKeyRule.violations("select * from users where lower(email) = lower(?)"))
                .containsExactly("users has no users.id = <bind value> in its query block");
        assertThat(ShardKeyRule.violations("select * from tasks t join tags g on g.id = ? where t.user_id = ?"))
                .containsExactly("tags g has no g.user_id = <bind value> in its query block");
        assertThat(ShardKeyRule.violations("delete from idempotency_keys where created_at < ?")).hasSize(1);
        assertThat(ShardKeyRule.violations("insert into tasks (title) values (?)")).hasSize(1);
        assertThat(ShardKeyRule.violations("update tasks set title = ? where id = ?")).hasSize(1);
        assertThat(ShardKeyRule.violations("select * from tasks where user_id = 'x'")).as("a literal is not a bind").hasSize(1);
    }
}
