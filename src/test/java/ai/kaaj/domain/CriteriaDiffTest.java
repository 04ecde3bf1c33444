package ai.kaaj.domain;

import ai.kaaj.domain.CriteriaDiff.Change;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

class CriteriaDiffTest {

    private static List<Change> diff(String older, String newer) {
        return CriteriaDiff.between(Json.read(older, JsonNode.class), Json.read(newer, JsonNode.class));
    }

    @Test
    void aChangedValueIsNamedByItsPathWithBothValues() {
        List<Change> changes = diff("""
                {"programs": [{"name": "App only", "min_fico": 650}, {"name": "Full", "min_fico": 680}]}""", """
                {"programs": [{"name": "App only", "min_fico": 650}, {"name": "Full", "min_fico": 700}]}""");
        assertThat(changes).hasSize(1);
        Change change = changes.get(0);
        assertThat(change.kind()).isEqualTo("changed");
        assertThat(change.path()).isEqualTo("programs[1].min_fico");
        assertThat(change.program()).isEqualTo("Full");
        assertThat(change.field()).isEqualTo("min_fico");
        assertThat(change.from().asInt()).isEqualTo(680);
        assertThat(change.to().asInt()).isEqualTo(700);
    }

    @Test
    void programsArePairedByNameSoReorderingChangesNothing() {
        assertThat(diff("""
                {"programs": [{"name": "A", "min_fico": 650}, {"name": "B", "max_amount": 100000}]}""", """
                {"programs": [{"name": "B", "max_amount": 100000}, {"name": "A", "min_fico": 650}]}""")).isEmpty();
    }

    @Test
    void aMissingFieldAndANullOneAreTheSame() {
        assertThat(diff("""
                {"programs": [{"name": "A", "min_fico": null}], "allowed_states": null}""", """
                {"programs": [{"name": "A"}]}""")).isEmpty();
    }

    @Test
    void programsAddedAndRemovedAndLenderWideListsChanged() {
        List<Change> changes = diff("""
                {"programs": [{"name": "Old", "min_fico": 600}], "excluded_states": ["CA"]}""", """
                {"programs": [{"name": "New", "min_fico": 600}], "excluded_states": ["CA", "NV"]}""");
        assertThat(changes).extracting(Change::kind, Change::path, Change::program).containsExactly(
                tuple("removed", "programs[0]", "Old"),
                tuple("added", "programs[0]", "New"),
                tuple("changed", "excluded_states", null));
        assertThat(changes.get(2).from().toString()).isEqualTo("[\"CA\"]");
        assertThat(changes.get(2).to().toString()).isEqualTo("[\"CA\",\"NV\"]");
        assertThat(changes.get(0).to().isNull()).isTrue();
        assertThat(changes.get(1).to().path("min_fico").asInt()).isEqualTo(600);
    }
}
