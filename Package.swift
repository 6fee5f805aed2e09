// swift-tools-version: 6.0
// moehls: MoE-ViT / attention model -> FPGA accelerator (Vitis HLS C++ and Verilog).
import PackageDescription

let package = Package(
    name: "moehls",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "moehls", targets: ["moehls"]),
        .library(name: "MoehlsKit", targets: ["MoehlsKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
    ],
    targets: [
        // All logic lives here, one folder per pipeline stage (see Sources/MoehlsKit/Pipeline.swift).
        .target(
            name: "MoehlsKit",
            dependencies: [
                .product(name: "Yams", package: "Yams"),
                "MoehlsTemplates",
            ]
        ),
        // The HLS C++, Verilog and host-program templates, shipped as package resources. The
        // target's folder is the top-level Templates/ directory so users find the templates where
        // the brief says.
        .target(
            name: "MoehlsTemplates",
            path: "Templates",
            exclude: ["README.md"],
            resources: [.copy("hls"), .copy("rtl"), .copy("host"), .copy("scripts")]
        ),
        // The thin command-line front end: parses arguments, calls MoehlsKit, prints.
        .executableTarget(
            name: "moehls",
            dependencies: [
                "MoehlsKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "MoehlsKitTests",
            // "moehls" so the CLI tests can run the built executable.
            dependencies: ["MoehlsKit", "moehls"],
            resources: [.copy("Fixtures")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
