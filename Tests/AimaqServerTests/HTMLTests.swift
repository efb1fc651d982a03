@testable import AimaqServer
import Testing

/// The HTML tree renders to UTF-8 bytes: text and attribute values are escaped byte by
/// byte, and characters of other scripts pass whole.
@Suite struct HTMLRendering {
    @Test func textAndAttributesAreEscapedAndOtherScriptsPassWhole() {
        let node = Node.element("p", [Attribute("title", "Құрманғазы \"ауданы\" & <аймақ>")], [
            .text("Маңғыстау ауданы: 5 < 6 & 7 > 3, 'иә'"),
            .void("br", []),
            .element("span", [.flag("hidden")], [.text("Aimaq 🇰🇿")]),
        ])
        #expect(node.render() == "<p title=\"Құрманғазы &quot;ауданы&quot; &amp; &lt;аймақ&gt;\">"
            + "Маңғыстау ауданы: 5 &lt; 6 &amp; 7 &gt; 3, &#39;иә&#39;<br><span hidden>Aimaq 🇰🇿</span></p>")
    }

    @Test func trustedAndPrerenderedMarkupIsKeptAsIs() {
        let fragment = Prerendered(.element("b", [], [.text("Алматы")]))
        let node = Node.fragment([.trusted("<hr>"), .prerendered(fragment), .text("")])
        #expect(node.render() == "<hr><b>Алматы</b>")
        #expect(fragment.byteCount == "<b>Алматы</b>".utf8.count)
    }
}
