package dev.todoapi.testsupport;

/** A registered user of a test and the tokens it got. */
public record TestUser(String id, String email, String accessToken, String refreshToken) {

    public static final String PASSWORD = "correct horse battery staple";

    public String bearer() {
        return "Bearer " + accessToken;
    }
}
