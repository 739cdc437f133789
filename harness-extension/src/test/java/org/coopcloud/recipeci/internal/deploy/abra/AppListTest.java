package org.coopcloud.recipeci.internal.deploy.abra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.coopcloud.recipeci.RecipeCiException;
import org.junit.jupiter.api.Test;

class AppListTest {
    @Test
    void readsEveryAppOfEveryServer() {
        String json = "{\"local\":{\"apps\":[{\"appName\":\"hell-abcdef.ci.example.org\",\"domain\":"
                + "\"hell-abcdef.ci.example.org\",\"recipe\":\"hello\",\"status\":\"deployed\"}],\"appCount\":1},"
                + "\"other.example.org\":{\"apps\":[{\"domain\":\"note-123456.ci.example.org\"}],\"appCount\":1}}";
        assertThat(AppList.names(json)).containsExactly("hell-abcdef.ci.example.org", "note-123456.ci.example.org");
    }

    @Test
    void anEmptyListingIsNoApps() {
        assertThat(AppList.names("")).isEmpty();
        assertThat(AppList.names("{\"local\":{\"apps\":[],\"appCount\":0}}")).isEmpty();
    }

    @Test
    void somethingThatIsNotJsonIsAnError() {
        assertThatThrownBy(() -> AppList.names("FATA unable to resolve '0cc57a5a'"))
                .isInstanceOf(RecipeCiException.class)
                .hasMessageContaining("not JSON")
                .hasMessageContaining("unable to resolve");
    }
}
