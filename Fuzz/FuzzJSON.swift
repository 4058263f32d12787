// libFuzzer target: JSON import. Build and run with scripts/fuzz.sh; compiled into one module
// with Sources/PrioEngine and Fuzz/ImportCheck.swift (the property it checks).

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    checkImport(Array(UnsafeBufferPointer(start: data, count: size)), format: .json)
    return 0
}
