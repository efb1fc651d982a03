import Foundation

/// Files that ship inside the build (`Resources/`): reference data, rule tables, locales.
enum BundledFile {
    static func text(_ name: String, folder: String = "Resources/Data") throws -> String {
        guard let url = Bundle.module.url(forResource: name, withExtension: nil, subdirectory: folder) else {
            throw DataFolderError(description: "bundled data file \(name) is missing from the build")
        }
        return try String(contentsOf: url, encoding: .utf8)
    }
}
