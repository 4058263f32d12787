/// Terminal display width of text: CJK and emoji take two columns, combining marks none.
///
/// Computed in Swift, so results do not depend on the C library's locale.
public enum DisplayWidth {
    /// The number of terminal columns a string takes.
    public static func of(_ text: some StringProtocol) -> Int {
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return text.utf8.count }
        var total = 0
        for character in text { total += of(character) }
        return total
    }

    /// The number of columns one character (grapheme cluster) takes: 0, 1 or 2.
    public static func of(_ character: Character) -> Int {
        let scalars = character.unicodeScalars
        guard let first = scalars.first else { return 0 }
        if first.value < 0x7F && first.value >= 0x20 && scalars.count == 1 { return 1 }
        if scalars.contains(where: { $0.value == 0xFE0F }) { return 2 }
        if first.properties.isEmojiPresentation { return 2 }
        if isWide(first.value) { return 2 }
        switch first.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format, .control:
            return scalars.count == 1 ? 0 : 1
        default:
            return 1
        }
    }

    /// East Asian Wide and Fullwidth ranges.
    static func isWide(_ v: UInt32) -> Bool {
        switch v {
        case 0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x2E80...0x303E, 0x3041...0x33FF,
             0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF, 0xA960...0xA97F, 0xAC00...0xD7A3,
             0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F, 0xFF00...0xFF60, 0xFFE0...0xFFE6,
             0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x1FA70...0x1FAFF, 0x20000...0x2FFFD, 0x30000...0x3FFFD:
            return true
        default:
            return false
        }
    }

    /// The longest prefix of `text` that fits in `width` columns, with `…` when cut.
    public static func truncate(_ text: String, to width: Int) -> String {
        guard width > 0 else { return "" }
        if of(text) <= width { return text }
        var out = ""
        var used = 0
        for character in text {
            let w = of(character)
            if used + w > width - 1 { break }
            out.append(character)
            used += w
        }
        return out + "…"
    }

    /// `text` padded with spaces to `width` columns (cut first when longer).
    public static func pad(_ text: String, to width: Int, alignRight: Bool = false) -> String {
        let cut = truncate(text, to: width)
        let gap = String(repeating: " ", count: max(0, width - of(cut)))
        return alignRight ? gap + cut : cut + gap
    }
}

/// Makes text safe to show on a terminal: the one place that decides which characters may leave prio.
public enum TerminalSafe {
    /// Replaces control characters, escape sequences' introducers and bidirectional overrides
    /// with visible placeholders: C0 controls as Unicode control pictures (ESC shows as `␛`),
    /// DEL as `␡`, C1 controls and bidi controls as `�`. Tabs and newlines become `␉` and `␤`.
    /// For one line of the screen or of a message.
    public static func sanitize(_ text: String) -> String {
        clean(text, keepLayout: false)
    }

    /// The same for whole outputs (exports, reports, tables, messages, to a file or a terminal):
    /// tabs, line feeds and CR LF pairs stay; every other control character becomes a placeholder.
    public static func output(_ text: String) -> String {
        clean(text, keepLayout: true)
    }

    static func clean(_ text: String, keepLayout: Bool) -> String {
        guard needsCleaning(text, keepLayout: keepLayout) else { return text }
        var out = String.UnicodeScalarView()
        let scalars = Array(text.unicodeScalars)
        for (i, scalar) in scalars.enumerated() {
            if keepLayout {
                if scalar == "\t" || scalar == "\n" || (scalar == "\r" && i + 1 < scalars.count && scalars[i + 1] == "\n") {
                    out.append(scalar)
                    continue
                }
            }
            guard needsReplacement(scalar) else {
                out.append(scalar)
                continue
            }
            switch scalar.value {
            case 0x00...0x1F: out.append(Unicode.Scalar(0x2400 + scalar.value) ?? "\u{FFFD}")
            case 0x7F: out.append("\u{2421}")
            default: out.append("\u{FFFD}")
            }
        }
        return String(out)
    }

    /// A fast look at the UTF-8 bytes: false when nothing needs replacing (the common case).
    static func needsCleaning(_ text: String, keepLayout: Bool) -> Bool {
        var utf8 = text
        return utf8.withUTF8 { bytes in
            var i = 0
            let n = bytes.count
            while i < n {
                let b = unsafe bytes[i]
                if b < 0x20 {
                    if unsafe keepLayout && (b == 0x09 || b == 0x0A || (b == 0x0D && i + 1 < n && bytes[i + 1] == 0x0A)) {
                        i += 1
                        continue
                    }
                    return true
                }
                // DEL; C2 80–9F (C1 controls); D8 9C (U+061C); E2 80/81 xx (bidi marks and overrides).
                if b == 0x7F || b == 0xC2 || b == 0xD8 || b == 0xE2 {
                    return text.unicodeScalars.contains(where: needsReplacement)
                }
                i += 1
            }
            return false
        }
    }

    static func needsReplacement(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x00...0x1F, 0x7F...0x9F, 0x200E...0x200F, 0x202A...0x202E, 0x2066...0x2069, 0x061C:
            return true
        default:
            return false
        }
    }
}
