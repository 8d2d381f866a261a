package dev.todoapi.auth;

import dev.todoapi.db.jooq.tables.records.UsersRecord;
import dev.todoapi.web.ApiException;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import dev.todoapi.list.Lists;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Accounts registered here: sign-up, password checks, profile changes and deletion. */
@Service
public class Accounts {

    /** Beyond the contract's format check: a dot in the domain and no spaces. */
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");
    private static final int MIN_PASSWORD = 8;

    private final UserRepository users;
    private final PasswordHasher hasher;
    private final Sessions sessions;

    private final Lists lists;

    Accounts(UserRepository users, PasswordHasher hasher, Sessions sessions, Lists lists) {
        this.users = users;
        this.hasher = hasher;
        this.sessions = sessions;
        this.lists = lists;
    }

    @Transactional
    public UsersRecord register(String email, String password, @Nullable String name) {
        String normalizedEmail = email.strip();
        if (!EMAIL.matcher(normalizedEmail).matches()) {
            throw new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "INVALID_EMAIL", "That is not a valid email address.",
                    java.util.List.of(new dev.todoapi.api.model.FieldError("email", "INVALID_EMAIL", "must be a valid email address")));
        }
        checkPasswordLength(password, "password");
        String hash = hasher.hash(password);
        try {
            UsersRecord user = users.insertLocal(UUID.randomUUID().toString(), normalizedEmail.toLowerCase(Locale.ROOT), hash,
                    name == null || name.isBlank() ? null : name.strip());
            lists.createDefault(user.getId()); // the Inbox, in the registering transaction
            return user;
        } catch (DuplicateKeyException e) {
            throw new ApiException(HttpStatus.CONFLICT, "EMAIL_ALREADY_EXISTS", "An account with this email already exists.");
        }
    }

    /**
     * The account with these credentials. An unknown email costs one password check too, and both
     * failures give the same answer, so neither timing nor message tells which emails have accounts.
     */
    public UsersRecord authenticate(String email, String password) {
        var user = users.findLocalByEmail(email.strip());
        if (user.isEmpty() || user.get().getPasswordHash() == null) {
            hasher.matchDecoy(password);
            throw invalidCredentials();
        }
        if (!hasher.matches(password, user.get().getPasswordHash())) {
            throw invalidCredentials();
        }
        return user.get();
    }

    public UsersRecord get(String userId) {
        return users.findById(userId).orElseThrow(Accounts::unknownUser);
    }

    @Transactional
    public UsersRecord rename(String userId, String name) {
        return users.updateName(userId, name.strip()).orElseThrow(Accounts::unknownUser);
    }

    /** Changes the password and signs out every session of the user. */
    @Transactional
    public void changePassword(String userId, String currentPassword, String newPassword) {
        UsersRecord user = get(userId);
        if (user.getPasswordHash() == null) {
            throw new ApiException(HttpStatus.FORBIDDEN, "EXTERNAL_ACCOUNT",
                    "This account signs in through an external identity provider; change the password there.");
        }
        if (!hasher.matches(currentPassword, user.getPasswordHash())) {
            throw invalidCredentials();
        }
        checkPasswordLength(newPassword, "new_password");
        users.updatePasswordHash(userId, hasher.hash(newPassword));
        sessions.endAll(userId);
    }

    @Transactional
    public void delete(String userId) {
        users.delete(userId);
    }

    private static void checkPasswordLength(String password, String field) {
        if (password.length() < MIN_PASSWORD) {
            throw new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "PASSWORD_TOO_SHORT",
                    "The password needs at least " + MIN_PASSWORD + " characters.",
                    java.util.List.of(new dev.todoapi.api.model.FieldError(field, "TOO_SHORT", "must be at least 8 characters")));
        }
    }

    private static ApiException invalidCredentials() {
        return new ApiException(HttpStatus.UNAUTHORIZED, "INVALID_CREDENTIALS", "The email or password is wrong.");
    }

    private static ApiException unknownUser() {
        return new ApiException(HttpStatus.UNAUTHORIZED, "INVALID_TOKEN", "The account of this token no longer exists.");
    }
}
