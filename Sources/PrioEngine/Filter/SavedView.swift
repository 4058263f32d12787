/// A filter saved in the header under a name: `- view: quick wins = points <= 3 and value >= 8`.
public struct SavedView: Sendable, Hashable {
    /// The name, as written (trimmed).
    public let name: String
    /// The filter expression, as written.
    public let expression: String
    /// The UTF-8 offset of the name in the setting's value.
    let nameOffset: Int
    /// The UTF-8 offset of the expression in the setting's value.
    let expressionOffset: Int

    /// Splits a `view` setting's value at its first `=`; nil when it has none.
    public init?(setting value: String) {
        guard let parts = splitNamedSetting(value) else { return nil }
        (name, nameOffset, expression, expressionOffset) = (parts.name, parts.nameOffset, parts.body, parts.bodyOffset)
    }

    /// True when `name` names this view (any case; `_`, `-` and spaces alike).
    public func isNamed(_ name: String) -> Bool {
        FieldKey.normalize(name) == FieldKey.normalize(self.name)
    }
}

extension BacklogHeader {
    /// The saved views, in header order (lines without `=` are errors of `prio check`, left out).
    public var views: [SavedView] {
        settings.filter { $0.key == "view" }.compactMap { SavedView(setting: $0.value) }
    }

    /// The view with a name, or a message naming the closest one and all of them.
    public func view(named name: String) throws(PrioError) -> SavedView {
        let views = self.views
        if let view = views.first(where: { $0.isNamed(name) }) { return view }
        let names = views.map(\.name)
        guard !names.isEmpty else {
            throw PrioError("no view '\(name)': the header saves none (add one like '- view: quick wins = points <= 3 and value >= 8')")
        }
        let hint = Suggestion.closest(to: name, among: names).map { "did you mean '\($0)'? " } ?? ""
        throw PrioError("no view '\(name)' (\(hint)views: \(names.joined(separator: ", ")))")
    }
}

/// The header settings of refinement (`view`, `ready`, `team`): what `prio check` says about them.
enum GroomingSettings {
    /// The settings this part of the header understands.
    static let keys: Set<String> = ["view", "ready", "team"]

    /// One finding about a setting, at a UTF-8 offset in its value.
    struct Finding {
        var offset: Int
        var message: String
        var isError: Bool
    }

    /// What is wrong with the setting at `index` of the header (nil: not one of these settings).
    static func findings(_ setting: Field, index: Int, header: BacklogHeader, customFields: Set<String>) -> [Finding]? {
        switch setting.key {
        case "view": viewFindings(setting.value, index: index, header: header, customFields: customFields)
        case "ready": DefinitionOfReady.problems(in: setting.value).map { Finding(offset: $0.offset, message: $0.message, isError: true) }
        case "team": Team.problems(in: setting.value).map { Finding(offset: $0.offset, message: $0.message, isError: true) }
        default: nil
        }
    }

    /// A view: `NAME = EXPRESSION`, a name not saved before, an expression that parses (an
    /// unknown field is a warning: the field may come with the next story).
    static func viewFindings(_ value: String, index: Int, header: BacklogHeader, customFields: Set<String>) -> [Finding] {
        guard let view = SavedView(setting: value) else {
            return [Finding(offset: 0, message: "a view is NAME = FILTER, such as 'quick wins = points <= 3 and value >= 8'", isError: true)]
        }
        guard !view.name.isEmpty else {
            return [Finding(offset: 0, message: "a view needs a name before '='", isError: true)]
        }
        let earlier = header.settings.prefix(index).filter { $0.key == "view" }.compactMap { SavedView(setting: $0.value) }
        if earlier.contains(where: { $0.isNamed(view.name) }) {
            return [Finding(offset: view.nameOffset, message: "view '\(view.name)' is declared twice", isError: true)]
        }
        let vocabulary = FilterVocabulary(workflow: Workflow(header: header), customFields: customFields)
        do throws(FilterError) {
            let parsed = try FilterExpression.parseCollecting(view.expression, vocabulary: vocabulary)
            return parsed.unknown.map {
                Finding(offset: view.expressionOffset + $0.offset, message: "\($0.message) in view '\(view.name)'", isError: false)
            }
        } catch {
            return [Finding(offset: view.expressionOffset + error.offset, message: "\(error.message) in view '\(view.name)'", isError: true)]
        }
    }
}

/// A `NAME = BODY` setting (`view`, `formula`) split at its first `=`: the trimmed name and
/// the body, each with its UTF-8 offset in the value; nil when there is no `=`.
func splitNamedSetting(_ value: String) -> (name: String, nameOffset: Int, body: String, bodyOffset: Int)? {
    let bytes = Array(value.utf8)
    guard let equals = bytes.firstIndex(of: UInt8(ascii: "=")) else { return nil }
    let rawName = String(decoding: bytes[..<equals], as: UTF8.self)
    let nameOffset = rawName.utf8.prefix { $0 == 0x20 || $0 == 0x09 }.count
    return (rawName.trimmingASCIIWhitespace(), nameOffset, String(decoding: bytes[(equals + 1)...], as: UTF8.self), equals + 1)
}
