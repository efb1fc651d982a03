/// Whether a file's first bytes are those of the kind its extension claims, so that a
/// program renamed to `.pdf` is not stored and served as a document.
public enum FileSignature {
    public static func matches(extension name: String, bytes: some Collection<UInt8>) -> Bool {
        let head = Array(bytes.prefix(8))
        func starts(with signature: [UInt8]) -> Bool { head.starts(with: signature) }
        switch name.lowercased() {
        case "pdf": return starts(with: Array("%PDF-".utf8))
        case "png": return starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        case "jpg", "jpeg": return starts(with: [0xFF, 0xD8, 0xFF])
        // Office and OpenDocument files are ZIP archives.
        case "docx", "xlsx", "odt", "ods": return starts(with: [0x50, 0x4B, 0x03, 0x04])
        // Text: UTF-8 without NUL bytes (a binary file has them).
        case "txt", "csv": return !bytes.contains(0) && String(validating: Array(bytes), as: UTF8.self) != nil
        default: return false
        }
    }
}
