#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// prio's environment as names and values (`environ`; an entry without `=` is skipped, and of
/// a name given twice the first counts, as for getenv(3)).
public func processEnvironment() -> [String: String] {
    var environment: [String: String] = [:]
    let start: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = environ
    guard var entry = start else { return environment }
    while let pointer = entry.pointee {
        let text = String(cString: pointer)
        if let equals = text.firstIndex(of: "=") {
            let name = String(text[..<equals])
            if environment[name] == nil { environment[name] = String(text[text.index(after: equals)...]) }
        }
        entry += 1
    }
    return environment
}

/// One variable of prio's environment (getenv(3)), or nil when unset.
public func environmentVariable(_ name: String) -> String? {
    getenv(name).map { String(cString: $0) }
}
