/// A small HTML writer that escapes everything it is given: text and attribute values go
/// through `escape`, only the tag and attribute names (string literals in prio's code) are
/// written as they are. Used by `ReportHTML` for the page and its inline SVG.
struct HTMLWriter {
    /// The page so far.
    private(set) var text = ""

    /// Text made safe anywhere in HTML (between tags and in a quoted attribute value): `&`, `<`,
    /// `>`, `"` and `'` as references; control characters other than tab and line breaks, which
    /// HTML forbids, as U+FFFD.
    static func escape(_ value: String) -> String {
        var needs = false
        for byte in value.utf8 where byte < 0x20 || byte == 0x7F || byte == UInt8(ascii: "&") || byte == UInt8(ascii: "<")
            || byte == UInt8(ascii: ">") || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
            needs = true
            break
        }
        guard needs else { return value }
        var out = ""
        out.reserveCapacity(value.utf8.count + 16)
        for scalar in value.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n": out.unicodeScalars.append(scalar)
            case "\r": out += "\n"
            default:
                if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) {
                    out += "\u{FFFD}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    /// Opens an element: `<tag a="v">`, each value escaped.
    mutating func open(_ tag: StaticString, _ attributes: KeyValuePairs<StaticString, String> = [:]) {
        text += "<\(tag)"
        for (name, value) in attributes { text += " \(name)=\"\(Self.escape(value))\"" }
        text += ">"
    }

    /// Closes an element.
    mutating func close(_ tag: StaticString) {
        text += "</\(tag)>"
    }

    /// An element holding escaped text.
    mutating func element(_ tag: StaticString, _ attributes: KeyValuePairs<StaticString, String> = [:], _ content: String) {
        open(tag, attributes)
        text += Self.escape(content)
        close(tag)
    }

    /// An element with content written by `body`.
    mutating func element(_ tag: StaticString, _ attributes: KeyValuePairs<StaticString, String> = [:], body: (inout HTMLWriter) -> Void) {
        open(tag, attributes)
        body(&self)
        close(tag)
    }

    /// A void element (`<meta ...>`, `<line ... />` in SVG).
    mutating func void(_ tag: StaticString, _ attributes: KeyValuePairs<StaticString, String> = [:], selfClosing: Bool = false) {
        text += "<\(tag)"
        for (name, value) in attributes { text += " \(name)=\"\(Self.escape(value))\"" }
        text += selfClosing ? "/>" : ">"
    }

    /// Escaped text.
    mutating func write(_ content: String) {
        text += Self.escape(content)
    }

    /// Markup from prio's own code (a string literal: the doctype, the style sheet); never user text.
    mutating func markup(_ literal: StaticString) {
        text += "\(literal)"
    }

    /// A line break in the source, to keep the page readable.
    mutating func newline() {
        text += "\n"
    }
}
