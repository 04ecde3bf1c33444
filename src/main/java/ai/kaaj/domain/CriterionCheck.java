package ai.kaaj.domain;

/** One criterion checked for one application against one program, with the sentence a broker reads. */
public record CriterionCheck(String criterion, Outcome result, String reason) {

    public enum Outcome { pass, fail, unknown }
}
