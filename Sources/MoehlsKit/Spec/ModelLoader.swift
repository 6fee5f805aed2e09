import Yams

/// Parse/validate stage for model descriptions: YAML or JSON text -> `ModelSpec`, or every problem
/// found as located diagnostics. See docs/model-format.md for the format.
public enum ModelLoader {
    static let topKeys = ["name", "kind", "image", "patch", "class_token", "position_embedding", "embed_dim",
                          "heads", "layers", "tokens", "mlp", "layer_norm", "attention", "moe", "classifier",
                          "precision"]

    /// Loads and validates a model file.
    public static func load(path: String) throws(DiagnosticError) -> ModelSpec {
        let document = try YAMLDocument.load(path: path)
        return try build(document, defaultName: baseName(path))
    }

    /// Parses and validates model text; `file` names it in diagnostics.
    public static func parse(text: String, file: String) throws(DiagnosticError) -> ModelSpec {
        try build(YAMLDocument.parse(text: text, file: file), defaultName: baseName(file))
    }

    static func baseName(_ path: String) -> String {
        let last = path.split(separator: "/").last.map(String.init) ?? path
        return last.split(separator: ".").first.map(String.init) ?? last
    }

    static func build(_ document: YAMLDocument, defaultName: String) throws(DiagnosticError) -> ModelSpec {
        let reader = SpecReader(file: document.file)
        let spec = read(document.root, reader: reader, defaultName: defaultName)
        if let spec, !reader.diagnostics.hasErrors {
            // Counts that overflow 64 bits are an input error, not a trap later.
            if case let .failure(problem) = Result(catching: { () throws(WorkloadOverflow) in
                try Workload.compute(spec)
            }) {
                reader.error("model is too large: \(problem.what) does not fit in a 64-bit integer",
                             at: document.root, path: "")
            }
        }
        try reader.diagnostics.throwIfErrors()
        return spec!
    }

    // MARK: - Reading

    static func read(_ root: Node, reader: SpecReader, defaultName: String) -> ModelSpec? {
        guard let top = reader.object(root, path: "", keys: topKeys) else { return nil }
        let name = top.string("name") ?? defaultName
        guard let kind = top.choice("kind", as: ModelSpec.Kind.self, required: true) else {
            // Without a kind, the rest cannot be checked meaningfully; report the unknown keys only.
            return nil
        }
        let embedDim = top.int("embed_dim", range: ModelLimits.embedDim, required: true)
        let heads = top.int("heads", range: ModelLimits.heads, required: true)
        let precision = readPrecision(top)
        let layerNormEps = top.object("layer_norm", keys: ["eps"])
            .flatMap { $0.node("eps") == nil ? 1e-6 : $0.double("eps", range: ModelLimits.layerNormEps) } ?? 1e-6
        if layerNormEps <= 0 {
            reader.error("'layer_norm.eps' must be positive", at: top.node("layer_norm"), path: "layer_norm.eps")
        }

        var image: ImageSpec?, patch: Int?, tokens: Int?, layers: Int?, mlp: MLPSpec?
        var classToken = true, positionEmbedding = PositionEmbedding.learned
        var moe: MoESpec?, classifier: ClassifierSpec?

        if kind == .attention {
            for key in ["image", "patch", "mlp", "moe", "classifier", "class_token", "position_embedding"]
            where top.has(key) {
                reader.error("'\(key)' does not apply to kind 'attention' (one attention block over 'tokens')",
                             at: top.node(key), path: key)
            }
            tokens = top.int("tokens", range: ModelLimits.tokens, required: true)
            layers = top.int("layers", range: 1...1) ?? 1
            classToken = false
            positionEmbedding = .none
        } else {
            if top.has("tokens") {
                reader.error("'tokens' applies only to kind 'attention'; for '\(kind.rawValue)' tokens follow from 'image' and 'patch'",
                             at: top.node("tokens"), path: "tokens")
            }
            image = readImage(top)
            patch = top.int("patch", range: ModelLimits.patch, required: true)
            classToken = top.bool("class_token") ?? true
            positionEmbedding = top.choice("position_embedding", as: PositionEmbedding.self) ?? .learned
            layers = top.int("layers", range: ModelLimits.layers, required: true)
            mlp = readMLP(top, embedDim: embedDim)
            if let head = top.object("classifier", keys: ["classes"]),
               let classes = head.int("classes", range: ModelLimits.classes, required: true) {
                classifier = ClassifierSpec(classes: classes)
            }
            if let image, let patch {
                var tiles = true
                for (side, value) in [("height", image.height), ("width", image.width)] where value % patch != 0 {
                    reader.error("'patch' (\(patch)) must divide the image \(side) (\(value))",
                                 at: top.node("patch"), path: "patch")
                    tiles = false
                }
                if tiles {
                    let count = (image.height / patch) * (image.width / patch) + (classToken ? 1 : 0)
                    if count > ModelLimits.tokens.upperBound {
                        reader.error("the image gives \(count) tokens; at most \(ModelLimits.tokens.upperBound) are supported",
                                     at: top.node("patch"), path: "patch")
                    } else {
                        tokens = count
                    }
                }
            }
            if kind == .moeViT {
                moe = readMoE(top, layers: layers, embedDim: embedDim)
            } else if top.has("moe") {
                reader.error("'moe' applies only to kind 'moe-vit'", at: top.node("moe"), path: "moe")
            }
        }
        if let embedDim, let heads, embedDim % heads != 0 {
            reader.error("'heads' (\(heads)) must divide 'embed_dim' (\(embedDim))", at: top.node("heads"), path: "heads")
        }
        let attention = readAttention(top, embedDim: embedDim, heads: heads)

        guard let embedDim, let heads, let layers, let tokens, let attention, let precision else { return nil }
        if kind != .attention && (image == nil || patch == nil || mlp == nil) { return nil }
        if kind == .moeViT && moe == nil { return nil }
        return ModelSpec(name: name, kind: kind, image: image, patchSize: patch, classToken: classToken,
                         positionEmbedding: positionEmbedding, embedDim: embedDim, heads: heads, layers: layers,
                         tokens: tokens, mlp: mlp, layerNormEps: layerNormEps, attention: attention, moe: moe,
                         classifier: classifier, precision: precision)
    }

    static func readImage(_ top: ObjectReader) -> ImageSpec? {
        guard let image = top.object("image", keys: ["height", "width", "channels"], required: true) else { return nil }
        let height = image.int("height", range: ModelLimits.imageSide, required: true)
        let width = image.int("width", range: ModelLimits.imageSide, required: true)
        let channels = image.int("channels", range: ModelLimits.channels) ?? (image.has("channels") ? nil : 3)
        guard let height, let width, let channels else { return nil }
        return ImageSpec(height: height, width: width, channels: channels)
    }

    static func readMLP(_ top: ObjectReader, embedDim: Int?) -> MLPSpec? {
        guard let mlp = top.object("mlp", keys: ["hidden", "ratio", "activation"], required: true) else { return nil }
        let activation = mlp.choice("activation", as: Activation.self) ?? (mlp.has("activation") ? nil : .gelu)
        var hidden: Int?
        switch (mlp.has("hidden"), mlp.has("ratio")) {
        case (true, true):
            mlp.reader.error("give either 'mlp.hidden' or 'mlp.ratio', not both", at: mlp.node("ratio"), path: "mlp.ratio")
        case (true, false):
            hidden = mlp.int("hidden", range: ModelLimits.hidden)
        case (false, true):
            if let ratio = mlp.double("ratio", range: ModelLimits.mlpRatio), let embedDim {
                let exact = ratio * Double(embedDim)
                if ratio <= 0 {
                    mlp.reader.error("'mlp.ratio' must be positive", at: mlp.node("ratio"), path: "mlp.ratio")
                } else if exact.rounded() != exact || exact < 1 {
                    mlp.reader.error("'mlp.ratio' \(ratio) x embed_dim \(embedDim) = \(exact) is not a whole number of units",
                                     at: mlp.node("ratio"), path: "mlp.ratio")
                } else if Int(exact) > ModelLimits.hidden.upperBound {
                    mlp.reader.error("'mlp.ratio' gives \(Int(exact)) hidden units (maximum \(ModelLimits.hidden.upperBound))",
                                     at: mlp.node("ratio"), path: "mlp.ratio")
                } else {
                    hidden = Int(exact)
                }
            }
        case (false, false):
            mlp.missing("hidden", hint: " (or 'ratio')")
        }
        guard let hidden, let activation else { return nil }
        return MLPSpec(hidden: hidden, activation: activation)
    }

    static func readAttention(_ top: ObjectReader, embedDim: Int?, heads: Int?) -> AttentionSpec? {
        let defaultScale = (embedDim != nil && heads != nil && heads! > 0 && embedDim! % heads! == 0)
            ? 1.0 / Double(embedDim! / heads!).squareRoot() : 1.0
        guard let section = top.object("attention", keys: ["pattern", "scale", "qkv_bias"]) else {
            if top.has("attention") { return nil }
            return AttentionSpec(pattern: .full, scale: defaultScale, qkvBias: true)
        }
        let pattern = section.choice("pattern", as: AttentionSpec.Pattern.self) ?? (section.has("pattern") ? nil : .full)
        var scale: Double? = defaultScale
        if section.has("scale") {
            scale = section.double("scale", range: ModelLimits.attentionScale)
            if let s = scale, s <= 0 {
                section.reader.error("'attention.scale' must be positive", at: section.node("scale"), path: "attention.scale")
                scale = nil
            }
        }
        let qkvBias = section.bool("qkv_bias") ?? (section.has("qkv_bias") ? nil : true)
        guard let pattern, let scale, let qkvBias else { return nil }
        return AttentionSpec(pattern: pattern, scale: scale, qkvBias: qkvBias)
    }

    static func readMoE(_ top: ObjectReader, layers: Int?, embedDim: Int?) -> MoESpec? {
        guard let section = top.object("moe", keys: ["experts", "top_k", "expert_hidden", "activation", "layers",
                                                     "tasks", "score_normalisation"],
                                       required: true) else { return nil }
        let reader = section.reader
        let experts = section.int("experts", range: ModelLimits.experts, required: true)
        var topK = section.int("top_k", range: ModelLimits.experts, required: true)
        if let k = topK, let experts, k > experts {
            reader.error("'moe.top_k' (\(k)) must not exceed 'moe.experts' (\(experts))",
                         at: section.node("top_k"), path: "moe.top_k")
            topK = nil
        }
        let expertHidden = section.int("expert_hidden", range: ModelLimits.hidden, required: true)
        let activation = section.choice("activation", as: Activation.self) ?? (section.has("activation") ? nil : .gelu)
        let tasks = section.int("tasks", range: ModelLimits.tasks) ?? (section.has("tasks") ? nil : 1)
        let normalisation = section.choice("score_normalisation", as: MoESpec.ScoreNormalisation.self)
            ?? (section.has("score_normalisation") ? nil : .softmaxAll)
        let moeLayers = readMoELayers(section, layers: layers)
        guard let experts, let topK, let expertHidden, let activation, let tasks, let normalisation,
              let moeLayers else { return nil }
        return MoESpec(experts: experts, topK: topK, expertHidden: expertHidden, activation: activation,
                       layers: moeLayers, tasks: tasks, scoreNormalisation: normalisation)
    }

    /// `layers: [1, 3, 5]` or `layers: {every: 2, start: 1}` (0-based encoder layer indices).
    static func readMoELayers(_ section: ObjectReader, layers: Int?) -> [Int]? {
        let reader = section.reader
        guard let node = section.node("layers") else {
            section.missing("layers", hint: " (a list of 0-based layer indices, or {every: N, start: S})")
            return nil
        }
        let maxIndex = (layers ?? ModelLimits.layers.upperBound) - 1
        if case .mapping = node {
            guard let rule = reader.object(node, path: "moe.layers", keys: ["every", "start"]) else { return nil }
            let every = rule.int("every", range: 1...ModelLimits.layers.upperBound, required: true)
            let start = rule.int("start", range: 0...ModelLimits.layers.upperBound) ?? (rule.has("start") ? nil : 0)
            guard let every, let start else { return nil }
            if let layers, start >= layers {
                reader.error("'moe.layers.start' (\(start)) is out of range: the model has \(layers) layers (0...\(layers - 1))",
                             at: rule.node("start"), path: "moe.layers.start")
                return nil
            }
            return Array(stride(from: start, through: maxIndex, by: every))
        }
        guard let items = reader.list(node, path: "moe.layers") else { return nil }
        if items.isEmpty {
            reader.error("'moe.layers' is empty: name at least one MoE layer, or use kind 'vit'", at: node, path: "moe.layers")
            return nil
        }
        var result: [Int] = []
        var ok = true
        for (position, item) in items.enumerated() {
            let path = "moe.layers[\(position)]"
            guard let index = reader.int(item, path: path, range: 0...Int.max) else { ok = false; continue }
            if index > maxIndex {
                reader.error("MoE layer index \(index) is out of range: the model has \(maxIndex + 1) layers (0...\(maxIndex))",
                             at: item, path: path)
                ok = false
            } else if result.contains(index) {
                reader.error("MoE layer index \(index) is listed twice", at: item, path: path)
                ok = false
            } else {
                result.append(index)
            }
        }
        return ok ? result.sorted() : nil
    }

    static func readPrecision(_ top: ObjectReader) -> PrecisionSpec? {
        var spec = PrecisionSpec.m3vit
        let fields = PrecisionSpec.fields
        guard let section = top.object("precision", keys: fields.map(\.key)) else {
            return top.has("precision") ? nil : spec
        }
        var ok = true
        for field in fields {
            guard let node = section.node(field.key) else { continue }
            let path = "precision.\(field.key)"
            guard let text = section.reader.string(node, path: path) else { ok = false; continue }
            switch FixedFormat.parse(text) {
            case .failure(let problem):
                section.reader.error(problem.description, at: node, path: path)
                ok = false
            case .success(let format):
                spec[keyPath: field.keyPath] = format
            }
        }
        return ok ? spec : nil
    }
}
