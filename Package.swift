// swift-tools-version:6.2
import PackageDescription
import Foundation

// CI turns every warning of our own targets into an error; local builds only warn.
let strict: [SwiftSetting] = ProcessInfo.processInfo.environment["CI"] == nil
    ? [] : [.treatAllWarnings(as: .error)]

let package = Package(
    name: "aimaq",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "aimaq", targets: ["aimaq"]),
        .library(name: "AimaqCore", targets: ["AimaqCore"]),
        .library(name: "OpinionMap", targets: ["OpinionMap"]),
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/vapor.git", from: "4.122.3"),
        .package(url: "https://github.com/vapor/fluent.git", from: "4.13.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.9.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.14.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.0"..<"5.0.0"),
    ],
    targets: [
        // The domain: value types, rules and calculators. No Vapor, no Fluent.
        .target(
            name: "AimaqCore",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strict
        ),
        // The opinion-map engine: standard library and Foundation only.
        .target(name: "OpinionMap", swiftSettings: strict),
        .target(
            name: "AimaqServer",
            dependencies: [
                "AimaqCore", "OpinionMap",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            resources: [.copy("Resources")],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "aimaq",
            dependencies: [
                "AimaqServer", "AimaqCore", "OpinionMap",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),
        .testTarget(name: "AimaqCoreTests", dependencies: ["AimaqCore"], swiftSettings: strict),
        .testTarget(name: "OpinionMapTests", dependencies: ["OpinionMap"],
                    resources: [.copy("Fixtures")], swiftSettings: strict),
        .testTarget(
            name: "AimaqServerTests",
            dependencies: [
                "AimaqServer",
                .product(name: "VaporTesting", package: "vapor"),
            ],
            swiftSettings: strict
        ),
    ]
)
