// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "Separa",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "separa", targets: ["separa"]),
        .library(name: "SeparaKit", targets: ["SeparaKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", exact: "4.5.2"),
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", exact: "0.9.20"),
    ],
    targets: [
        // The CLI: parses, calls SeparaKit, prints.
        .executableTarget(
            name: "separa",
            dependencies: [
                "SeparaKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Micro-benchmarks driven by the scripts in bench/; not a product.
        .executableTarget(
            name: "separa-bench",
            dependencies: ["SeparaKit"]
        ),
        // All behaviour; never prints, never exits.
        .target(
            name: "SeparaKit",
            dependencies: [
                "CQRencode", "CPangoCairo", "CPNGWriter",
                .product(name: "GRDB", package: "GRDB.swift"),
                // SQLite's C API, for the report's scan of a million records without copying each value.
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            // A file uses only the members of the modules it imports: GRDB's API is reachable only from the
            // files that import it, which scripts/check-layers.py allows in Store/ alone.
            swiftSettings: [.enableUpcomingFeature("MemberImportVisibility")]
        ),
        // System libraries, one thin shim each.
        .systemLibrary(
            name: "CQRencode",
            pkgConfig: "libqrencode",
            providers: [.apt(["libqrencode-dev"])]
        ),
        .systemLibrary(
            name: "CPangoCairo",
            pkgConfig: "pangocairo",
            providers: [.apt(["libpango1.0-dev", "libcairo2-dev"])]
        ),
        // libpng reports errors by longjmp: the setjmp lives in this small C target, never in Swift.
        .target(
            name: "CPNGWriter",
            linkerSettings: [.linkedLibrary("png16")]
        ),
        .testTarget(
            name: "SeparaKitTests",
            dependencies: ["SeparaKit"],
            // Test data read from the source tree (TestPaths), not bundled.
            exclude: ["Ingest/Fixtures"]
        ),
        .testTarget(
            name: "SeparaCLITests",
            dependencies: ["SeparaKit"]
        ),
    ]
)
