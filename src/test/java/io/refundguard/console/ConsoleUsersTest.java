package io.refundguard.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsoleUsersTest {
    @TempDir
    Path dir;

    @Test
    void theShippedFileHasAnOperatorAndOneAnalystPerSamplePlatform() throws Exception {
        Map<String, String> env = Map.of("RG_CONSOLE_ADMIN_PASSWORD", "a", "RG_CONSOLE_TB_PASSWORD", "t");
        ConsoleUsers users = ConsoleUsers.load(Path.of("config/console.yaml"), env::get);
        assertThat(users.authenticate("admin", "a")).hasValueSatisfying(v -> {
            assertThat(v.role()).isEqualTo(Viewer.Role.OPERATOR);
            assertThat(v.view()).isNull();
        });
        assertThat(users.authenticate("tb", "t")).hasValueSatisfying(v -> assertThat(v.view()).isEqualTo("tb"));
        assertThat(users.authenticate("tb", "a")).isEmpty();
        assertThat(users.locked()).containsOnlyKeys("jd", "pdd", "dy")
                .containsEntry("jd", "RG_CONSOLE_JD_PASSWORD");
    }

    @Test
    void aUserWhoseVariableIsUnsetOrEmptyCannotLogIn() throws Exception {
        ConsoleUsers users = ConsoleUsers.load(Path.of("config/console.yaml"), Map.of("RG_CONSOLE_ADMIN_PASSWORD", "")::get);
        assertThat(users.authenticate("admin", "")).isEmpty();
        assertThat(users.authenticate("admin", null)).isEmpty();
        assertThat(users.authenticate("dy", "")).isEmpty();
    }

    @Test
    void aPasswordInTheFileOrAnAnalystWithoutPlatformIsRefusedNamingTheEntry() throws Exception {
        Path withPassword = Files.writeString(dir.resolve("a.yaml"), """
                users:
                  - {name: admin, role: operator, passwordEnv: X, password: hunter2}
                """);
        assertThatThrownBy(() -> ConsoleUsers.load(withPassword, k -> null))
                .hasMessageContaining("users[0]").hasMessageContaining("passwords are not stored");
        Path noPlatform = Files.writeString(dir.resolve("b.yaml"), """
                users:
                  - {name: tb, role: analyst, passwordEnv: X}
                """);
        assertThatThrownBy(() -> ConsoleUsers.load(noPlatform, k -> null)).hasMessageContaining("users[0].platform");
        Path badRole = Files.writeString(dir.resolve("c.yaml"), """
                users:
                  - {name: tb, role: boss, passwordEnv: X}
                """);
        assertThatThrownBy(() -> ConsoleUsers.load(badRole, k -> null)).hasMessageContaining("expected operator or analyst");
    }
}
