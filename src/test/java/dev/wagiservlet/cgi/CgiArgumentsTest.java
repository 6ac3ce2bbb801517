package dev.wagiservlet.cgi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CgiArgumentsTest {

    private static List<String> defaults(String path, String query) {
        return CgiArguments.build(path, query, Optional.empty());
    }

    private static List<String> template(String template, String path, String query) {
        return CgiArguments.build(path, query, Optional.of(template));
    }

    @Test
    void defaultIsPathThenQuerySplitOnAmpersand() {
        assertEquals(List.of("/env/foo", "greet=matt", "foo=bar"), defaults("/env/foo", "greet=matt&foo=bar"));
    }

    @Test
    void defaultKeepsQueryItemsRaw() {
        assertEquals(List.of("/p", "a=1+2", "b=%20x", "c", "--flag=%2F"), defaults("/p", "a=1+2&b=%20x&c&--flag=%2F"));
    }

    @Test
    void defaultWithoutQueryIsJustThePath() {
        assertEquals(List.of("/hello"), defaults("/hello", null));
    }

    @Test
    void defaultWithBareQuestionMarkHasOneEmptyArgument() {
        assertEquals(List.of("/hello", ""), defaults("/hello", ""));
    }

    @Test
    void defaultKeepsEmptyItemsBetweenAndAfterAmpersands() {
        assertEquals(List.of("/x", "a", "", "b", ""), defaults("/x", "a&&b&"));
        assertEquals(List.of("/x", "", ""), defaults("/x", "&"));
    }

    @Test
    void defaultPathIsRawIncludingContextAndEncoding() {
        assertEquals(List.of("/wagi/env/a%20b", "x"), defaults("/wagi/env/a%20b", "x"));
    }

    @Test
    void defaultQueryWithSpacesStaysOneItem() {
        // the query is raw: a space would only arrive here percent-encoded, but the split is on '&' alone
        assertEquals(List.of("/x", "a b", "c"), defaults("/x", "a b&c"));
    }

    @Test
    void referenceTemplateExample() {
        assertEquals(List.of("ruby", "index.rb", "/env/foo", "greet=matt", "foo=bar"),
                template("ruby index.rb ${SCRIPT_NAME} ${ARGS}", "/env/foo", "greet=matt&foo=bar"));
    }

    @Test
    void templateWithoutQueryDropsArgs() {
        assertEquals(List.of("ruby", "index.rb", "/env/foo"),
                template("ruby index.rb ${SCRIPT_NAME} ${ARGS}", "/env/foo", null));
    }

    @Test
    void templateWithEmptyQueryHasNoEmptyArgument() {
        assertEquals(List.of("/env/foo"), template("${SCRIPT_NAME} ${ARGS}", "/env/foo", ""));
    }

    @Test
    void templateSplitsOnWhitespaceRunsWithoutEmptyArguments() {
        assertEquals(List.of("a", "b", "/p", "x", "y"),
                template("  a \t b\n\n${SCRIPT_NAME}   ${ARGS}  ", "/p", "x&&y&"));
    }

    @Test
    void templateReplacesEveryPlaceholder() {
        assertEquals(List.of("/p", "/p", "a", "b", "a", "b"),
                template("${SCRIPT_NAME} ${SCRIPT_NAME} ${ARGS} ${ARGS}", "/p", "a&b"));
    }

    @Test
    void templateKeepsPlusAndPercentRaw() {
        assertEquals(List.of("prog", "--name=a+b", "--v=%20"), template("prog ${ARGS}", "/p", "--name=a+b&--v=%20"));
    }

    @Test
    void templateWithoutPlaceholdersIsFixed() {
        assertEquals(List.of("fixed", "args"), template("fixed args", "/p", "ignored=1"));
    }

    @Test
    void placeholderGluedToTextStaysOneArgument() {
        assertEquals(List.of("--path=/p", "--q=a", "b"), template("--path=${SCRIPT_NAME} --q=${ARGS}", "/p", "a&b"));
    }

    @Test
    void blankTemplateGivesNoArguments() {
        assertEquals(List.of(), template("   ", "/p", "a"));
        assertEquals(List.of(), template("", "/p", null));
    }

    /** The reference splits with Rust's split_whitespace, i.e. on Unicode White_Space, not only ASCII. */
    @Test
    void templateSplitsOnUnicodeWhitespaceLikeTheReference() {
        assertEquals(List.of("a", "b", "c", "d", "/p"),
                template("a\u00A0b\u2003c\u3000d ${SCRIPT_NAME}", "/p", null));
    }
}
