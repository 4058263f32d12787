/// Reading a story's fields, numbers, votes, pins and goals.
extension Story {
    // MARK: Reading

    /// The value of a field by any spelling of its key, or nil.
    public func value(of key: String) -> String? {
        value(of: FieldName(key))
    }

    /// The value of a field by name, or nil; read from the file's bytes while they stand.
    func value(of name: FieldName) -> String? {
        if case .known(let key) = name { return value(of: key) }
        guard !file.fieldLines.isNone, let sourceText else {
            return storedFields.first { $0.name.matches(name) }?.value
        }
        return unsafe sourceText.withBytes { bytes in
            var found: String?
            unsafe forEachFieldLine(bytes, file.fieldLines.range) { _, key, value in
                guard unsafe fieldName(bytes, key).matches(name) else { return true }
                found = unsafe lineText(bytes, value)
                return false
            }
            return found
        }
    }

    /// True when the story has a canonical field (no string is made).
    func hasField(_ key: FieldKey) -> Bool {
        knownKeys & (1 << UInt32(key.order)) != 0
    }

    /// The value of a canonical field, or nil.
    public func value(of key: FieldKey) -> String? {
        guard hasField(key) else { return nil }
        if !file.fieldLines.isNone, let sourceText {
            return unsafe sourceText.withBytes { bytes in
                var found: String?
                unsafe forEachFieldLine(bytes, file.fieldLines.range) { _, name, value in
                    guard unsafe knownFieldKey(bytes, name) == key else { return true }
                    found = unsafe lineText(bytes, value)
                    return false
                }
                return found
            }
        }
        for field in storedFields {
            if case .known(let k) = field.name, k == key { return field.value }
        }
        return nil
    }

    /// Pins the story at `position` (1-based) with an optional reason, or unpins it when
    /// `position` is empty (the reason goes too). The one rule for `prio pin` and `p`.
    public mutating func setPin(_ position: String, reason: String?) throws(FieldProblem) {
        if position.isEmpty {
            try setField(FieldKey.pin.rawValue, "")
            try setField(FieldKey.pinReason.rawValue, "")
            return
        }
        _ = try FieldKey.pin.parsePin(position)
        try setField(FieldKey.pin.rawValue, position)
        if let reason { try setField(FieldKey.pinReason.rawValue, reason.trimmingASCIIWhitespace()) }
    }

    /// The position the story is pinned at in computed rankings (`pin: N`), if any.
    public var pin: Int? {
        guard let text = value(of: .pin) else { return nil }
        return try? FieldKey.pin.parsePin(text.trimmingASCIIWhitespace())
    }

    /// Why the story is pinned (`pin-reason:`), if said.
    public var pinReason: String? {
        guard let text = value(of: .pinReason)?.trimmingASCIIWhitespace(), !text.isEmpty else { return nil }
        return text
    }

    /// The product goal the story serves (`goal:`), if said.
    public var goal: String? {
        guard let text = value(of: .goal)?.trimmingASCIIWhitespace(), !text.isEmpty else { return nil }
        return text
    }

    /// True when the story's goal contains `text`, ignoring case (the rule of `prio rank --goal`).
    public func serves(goal text: String) -> Bool {
        let wanted = text.trimmingASCIIWhitespace().lowercased()
        guard let goal else { return false }
        return wanted.isEmpty || goal.lowercased().contains(wanted)
    }

    /// A numeric field's value, or nil when absent (values were checked when set or loaded).
    public func number(_ key: FieldKey) -> DecimalNumber? {
        // A numeric key goes the way strategies read it (votes included); any other key's text
        // is read as a number.
        if key.isNumeric { return numbers(NumericKeys(key))[key] }
        return value(of: key).flatMap(parseStoredNumber)
    }

    /// Every numeric field, read in one pass over the fields (what strategies use).
    public var numbers: StoryNumbers { numbers(.all) }

    /// The numeric fields in `wanted`, read in one pass over the fields.
    public func numbers(_ wanted: NumericKeys) -> StoryNumbers {
        var result = StoryNumbers()
        // The wanted keys the story has; the read stops once each is found.
        var remaining = wanted.rawValue & knownKeys
        if remaining != 0, knownKeys & Story.sitesBit != 0, !file.fieldLines.isNone, let sourceText {
            // Small whole numbers the parser kept; the others straight from the bytes, by the
            // places the parser noted (which, in a big file, may have left the cache since).
            var inBytes: UInt32 = 0
            while remaining != 0 {
                let order = remaining.trailingZeroBitCount
                remaining &= remaining - 1
                let key = FieldKey.byOrder[order]
                let site = file.numberSites[key]
                if let small = NumberSites.smallValue(site) {
                    result[key] = DecimalNumber(small)
                } else if site != 0 {
                    inBytes |= 1 << UInt32(order)
                }
            }
            if inBytes != 0 {
                let lines = file.fieldLines.range
                unsafe sourceText.withBytes { bytes in
                    while inBytes != 0 {
                        let order = inBytes.trailingZeroBitCount
                        inBytes &= inBytes - 1
                        let key = FieldKey.byOrder[order]
                        let start = lines.lowerBound + Int(file.numberSites[key]) - 1
                        var end = start
                        while unsafe end < lines.upperBound && bytes[end] != 0x0A { end += 1 }
                        while unsafe end > start && (bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 || bytes[end - 1] == 0x0D) { end -= 1 }
                        result[key] = unsafe parseStoredNumber(UnsafeBufferPointer(rebasing: bytes[start..<end]))
                    }
                }
            }
        } else if remaining != 0 {
            unsafe forEachKnownField { key, value in
                let bit = NumericKeys(key).rawValue
                guard remaining & bit != 0 else { return true }
                result[key] = unsafe parseStoredNumber(value)
                remaining &= ~bit
                return remaining != 0
            }
        }
        if let tallies {
            for tally in tallies where wanted.rawValue & NumericKeys(tally.field).rawValue != 0 { result[tally.field] = tally.value }
        }
        return result
    }

    /// All fields' typed meaning (computed; use `number(_:)` and `status` on hot paths).
    public var values: StoryValues {
        var values = StoryValues()
        for field in fields {
            if let key = field.canonicalKey { try? values.apply(key, field.value) }
        }
        return values
    }

    /// The IDs this story depends on.
    public var dependencies: [StoryID] {
        guard let text = value(of: .depends) else { return [] }
        return splitList(text).compactMap { StoryID($0) }
    }

    /// The story's tags.
    public var tags: [String] {
        value(of: .tags).map(splitList) ?? []
    }

    /// Story points, if estimated.
    public var points: DecimalNumber? { number(.points) }
}
