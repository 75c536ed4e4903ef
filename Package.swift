// swift-tools-version: 6.2
import PackageDescription

/// Settings every target shares: Swift 6 mode (strict concurrency) plus the upcoming features
/// the swiftlang CLIs enable, so imports and existentials stay explicit.
let swiftSettings: [SwiftSetting] = [
  .swiftLanguageMode(.v6),
  .enableUpcomingFeature("ExistentialAny"),
  .enableUpcomingFeature("MemberImportVisibility"),
]

/// The release (install) build of the executable starts faster (docs/benchmarks.md, "Plugins"):
/// - `-no-pie`: its code is placed at link time, so the loader applies none of the ~118,000
///   relative relocations a position-independent build needs at every start (about 2 ms; the
///   executable's own addresses are then not randomised, its libraries', stack's and heap's are);
/// - no exported symbols: the static Swift runtime links with `-export-dynamic`, and the 30,000
///   symbols it exports are scanned linearly by the `dladdr` its backtracer calls at start-up.
let startupLinkerSettings: [LinkerSetting] = [
  .unsafeFlags(
    ["-Xlinker", "-no-pie", "-Xlinker", "--version-script=\(Context.packageDirectory)/Sources/mtobs/exports.map"],
    .when(platforms: [.linux], configuration: .release))
]

let package = Package(
  name: "mtobs",
  platforms: [.macOS(.v15)],
  products: [
    .executable(name: "mtobs", targets: ["mtobs"]),
    .executable(name: "mtobs-exec-child", targets: ["mtobs-exec-child"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2"),
    .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
    .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
  ],
  targets: [
    // The executable: `@main` only.
    .executableTarget(
      name: "mtobs", dependencies: ["MtobsCLI"], exclude: ["exports.map"], swiftSettings: swiftSettings,
      linkerSettings: startupLinkerSettings),
    // The commands (ArgumentParser structs) and the entry point, in a library so tests parse and
    // run them in-process.
    .target(
      name: "MtobsCLI",
      dependencies: [
        "MtobsCore",
        "Plugins",
        "Git",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      swiftSettings: swiftSettings
    ),
    // Everything that is mtobs's own knowledge: config, processes, cluster access, checks, rendering.
    .target(
      name: "MtobsCore",
      dependencies: [
        "Git",
        "CExecChild",
        .product(name: "Subprocess", package: "swift-subprocess"),
        .product(name: "SystemPackage", package: "swift-system"),
        .product(name: "Yams", package: "Yams"),
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOPosix", package: "swift-nio"),
        .product(name: "NIOHTTP1", package: "swift-nio"),
      ],
      swiftSettings: swiftSettings,
      plugins: ["BuildInfoPlugin"]
    ),
    // The exec helper in every binary that links MtobsCore: children die with mtobs (PR_SET_PDEATHSIG).
    .target(name: "CExecChild"),
    // The same helper as a tiny executable installed beside mtobs: a child starts 10 ms sooner.
    .executableTarget(name: "mtobs-exec-child", dependencies: ["CExecChild"]),
    // Records the commit mtobs is built from (for `mtobs version`).
    .plugin(name: "BuildInfoPlugin", capability: .buildTool(), dependencies: ["mtobs-build-info"]),
    .executableTarget(name: "mtobs-build-info", dependencies: ["Git"], swiftSettings: swiftSettings),
    // Plugin discovery and dispatch (`mtobs NAME` for any NAME that is not a built-in).
    .target(
      name: "Plugins", dependencies: ["MtobsCore", "Git", .product(name: "Yams", package: "Yams")],
      swiftSettings: swiftSettings),
    // A small Swift face on libgit2.
    .target(name: "Git", dependencies: ["CLibGit2"], swiftSettings: swiftSettings),
    // libgit2's headers; the library itself is loaded at run time (Sources/Git/LibGit2.swift).
    .systemLibrary(name: "CLibGit2", providers: [.apt(["libgit2-dev"]), .brew(["libgit2"])]),
    // Test support: a stand-in Kubernetes API server that the real kubectl talks to.
    .target(
      name: "KubeStandIn",
      dependencies: [
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOPosix", package: "swift-nio"),
        .product(name: "NIOHTTP1", package: "swift-nio"),
        .product(name: "Yams", package: "Yams"),
      ],
      exclude: ["README.md"],
      swiftSettings: swiftSettings
    ),
    // The stand-in as a program, for benchmarks and for making the example bundles.
    .executableTarget(name: "kube-standin", dependencies: ["KubeStandIn"], swiftSettings: swiftSettings),
    // What every test target shares: process-table and folder helpers, the stand-in cluster fixture.
    .target(name: "TestSupport", dependencies: ["KubeStandIn"], swiftSettings: swiftSettings),
    .testTarget(name: "MtobsCoreTests", dependencies: ["MtobsCore", "TestSupport"], swiftSettings: swiftSettings),
    .testTarget(name: "GitTests", dependencies: ["Git", "TestSupport"], swiftSettings: swiftSettings),
    .testTarget(name: "PluginsTests", dependencies: ["Plugins", "TestSupport"], swiftSettings: swiftSettings),
    .testTarget(
      name: "KubeStandInTests",
      dependencies: ["KubeStandIn", "kube-standin", "TestSupport"],
      swiftSettings: swiftSettings
    ),
    .testTarget(
      name: "MtobsCLITests",
      dependencies: ["MtobsCore", "MtobsCLI", "KubeStandIn", "TestSupport", "mtobs", "kube-standin"],
      swiftSettings: swiftSettings
    ),
  ]
)
