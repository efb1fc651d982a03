@testable import AimaqServer
import Foundation
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
        // Characters to escape first, last and side by side; nothing at all.
        #expect(Node.text("<&>\"'").render() == "&lt;&amp;&gt;&quot;&#39;")
        #expect(Node.text("<a & b>").render() == "&lt;a &amp; b&gt;")
        #expect(Node.text("").render() == "")
    }

    @Test func trustedAndPrerenderedMarkupIsKeptAsIs() {
        let fragment = Prerendered(.element("b", [], [.text("Алматы")]))
        let node = Node.fragment([.trusted("<hr>"), .prerendered(fragment), .text("")])
        #expect(node.render() == "<hr><b>Алматы</b>")
        #expect(fragment.byteCount == "<b>Алматы</b>".utf8.count)
    }
}

/// The byte writer for long tables escapes as the tree does.
@Suite struct MarkupWriting {
    @Test func writtenMarkupIsTheSameAsTheTreesAndEscaped() {
        var writer = MarkupWriter()
        writer.open("tr")
        writer.open("td", "class", "num \"x\" & <y>")
        writer.text("Маңғыстау ауданы: 5 < 6 & 'иә'")
        writer.close("td")
        writer.element("td", "Aimaq 🇰🇿")
        writer.prerendered(Prerendered(.element("b", [], [.text("Алматы")])))
        writer.node(.void("br", []))
        writer.close("tr")
        let tree = Node.element("tr", [], [
            .element("td", [.class("num \"x\" & <y>")], [.text("Маңғыстау ауданы: 5 < 6 & 'иә'")]),
            .element("td", [], [.text("Aimaq 🇰🇿")]),
            .element("b", [], [.text("Алматы")]),
            .void("br", []),
        ])
        #expect(writer.finish().render() == tree.render())
    }

    @Test func queryValuesArePercentEncodedLikeFoundation() {
        let samples = ["430000000", "a b&c=d", "Құрманғазы ауданы", "Кызылорда/Шиели?#", "A-Z_a.z~0", "🇰🇿%+", ""]
        for sample in samples {
            let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
            #expect(SiteQuery.encode(sample) == sample.addingPercentEncoding(withAllowedCharacters: unreserved), "\(sample)")
        }
        #expect(SiteURL.register.link((.territory, "430000000"), (.topic, "су жоқ")) == "/instructions?territory=430000000&topic=%D1%81%D1%83%20%D0%B6%D0%BE%D2%9B")
    }
}
