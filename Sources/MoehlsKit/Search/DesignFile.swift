import Foundation

/// `design.json`: the chosen design with everything the generators need (docs/design-space.md,
/// "design.json"). Versioned by `schema`; written with sorted keys in snake_case, so the same
/// search writes the same bytes.
public struct DesignFile: Hashable, Codable, Sendable {
    /// The current schema identifier.
    public static let currentSchema = "moehls-design/1"

    /// The model the design was searched for (enough to refuse a mismatched model file).
    public struct Model: Hashable, Codable, Sendable {
        public var name: String
        public var kind: String
        public var tokens: Int
        public var embedDim: Int
        public var heads: Int
        public var layers: Int
        public var macsPerImage: Int
    }

    /// The board and clock.
    public struct Target: Hashable, Codable, Sendable {
        public var name: String
        public var part: String
        public var family: String
        public var flow: String
        public var clockMHz: Double
    }

    /// How the design was found.
    public struct Provenance: Hashable, Codable, Sendable {
        public var strategy: String
        public var objective: String
        public var cap: Double
        public var seed: UInt64
        public var optimal: Bool
        /// Proven relative gap to the optimum (0 when optimal; absent for heuristics).
        public var gap: Double?
    }

    /// Quantities the generators derive from the design, recorded so they need not re-derive them.
    public struct Derived: Hashable, Codable, Sendable {
        /// GELU units in the (FFN or only) linear engine's write-back path.
        public var geluUnits: Int
        /// Combine (score x y) multipliers of the MoE scatter step: T_in of the FFN engine, or 0.
        public var combineMultipliers: Int
        /// Off-chip read latency in cycles and bytes per cycle over one engine's weight ports.
        public var memoryLatencyCycles: Int
        public var portBytesPerCycle: Double
        /// DSPs per multiplier of the linear grid and of attention scores.
        public var gridDspPerMultiplier: Int
        public var scoreDspPerMultiplier: Int
        /// Tokens each expert receives per pass in the estimate (balanced routing).
        public var tokensPerExpert: [Int]
    }

    public var schema: String
    public var model: Model
    public var device: Target
    public var search: Provenance
    public var design: DesignPoint
    public var derived: Derived
    public var microArchitecture: MicroArchitecture
    public var estimate: Estimate

    /// The file for `result`'s best design.
    public init(result: SearchResult, context: CostContext, seed: UInt64) {
        let e = result.best, s = context.spec
        schema = Self.currentSchema
        model = Model(name: s.name, kind: s.kind.rawValue, tokens: s.tokens, embedDim: s.embedDim, heads: s.heads,
                      layers: s.layers, macsPerImage: context.macsPerImage)
        device = Target(name: context.device.name, part: context.device.part, family: context.device.family.rawValue,
                        flow: context.device.flow.rawValue, clockMHz: context.clockMHz)
        search = Provenance(strategy: result.strategy.rawValue, objective: result.objective.rawValue, cap: result.cap,
                            seed: seed, optimal: result.optimal, gap: result.strategy == .ubimoe ? nil : result.gap)
        design = e.design
        derived = Derived(design: e.design, estimate: e, context: context)
        microArchitecture = context.micro
        estimate = e
    }

    /// Pretty JSON, sorted keys, snake_case, ending in a newline.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .custom { path in DesignFileKey(snakeCase: path.last!.stringValue) }
        var data = try encoder.encode(self)
        data.append(0x0A)
        return data
    }

    /// Decodes a design file, refusing other schemas (no checks against a model or board: see
    /// `load(_:file:spec:device:clockMHz:)`).
    public static func decode(_ data: Data, file: String) throws(DiagnosticError) -> DesignFile {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .custom { path in DesignFileKey(camelCase: path.last!.stringValue) }
        struct Header: Decodable { var schema: String? }
        guard let header = try? decoder.decode(Header.self, from: data) else {
            throw DiagnosticError([.error("not a JSON design file", file: file)])
        }
        guard header.schema == currentSchema else {
            throw DiagnosticError([.error("design file schema '\(header.schema ?? "none")' is not \(currentSchema)", file: file)])
        }
        do {
            return try decoder.decode(DesignFile.self, from: data)
        } catch {
            throw DiagnosticError([.error("design file does not match schema \(currentSchema): \(error)", file: file)])
        }
    }
}

/// Key spelling of design.json: snake_case, with `MHz` as one word (`clock_mhz`), and back.
struct DesignFileKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }

    /// `clockMHz` -> `clock_mhz`, `tIn` -> `t_in`, `bram18k` -> `bram18k`.
    init(snakeCase camel: String) {
        var out = ""
        for ch in camel.replacingOccurrences(of: "MHz", with: "Mhz") {
            if ch.isUppercase {
                out += "_" + ch.lowercased()
            } else {
                out.append(ch)
            }
        }
        stringValue = out
    }

    init(camelCase snake: String) {
        let parts = snake.split(separator: "_", omittingEmptySubsequences: false)
        var name = String(parts.first ?? "")
        for part in parts.dropFirst() {
            name += part == "mhz" ? "MHz" : part.prefix(1).uppercased() + part.dropFirst()
        }
        stringValue = name
    }

    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
