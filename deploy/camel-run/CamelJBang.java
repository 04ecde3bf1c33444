/** Camel JBang's CLI from Maven's jars alone: camel-jbang-core has a run(String...) but no main. */
public class CamelJBang {
    public static void main(String[] args) {
        org.apache.camel.dsl.jbang.core.commands.CamelJBangMain.run(args);
    }
}
