/// Weights and inputs from files: `.safetensors` weights by timm-style name, `.npy` inputs.
public enum WeightFiles {
    /// Float tensors of a `.safetensors` file keyed by name, reshaped to the golden model's 2-D
    /// layout: leading axes of size 1 dropped, vectors as `1 x n`, higher ranks flattened after the
    /// first axis (`[D, C, P, P]` -> `D x C*P*P`). Shapes are checked against the model later.
    public static func load(_ spec: ModelSpec, path: String) throws(DiagnosticError) -> [String: FloatMatrix] {
        let contents = try Safetensors.read(path: path)
        var tensors: [String: FloatMatrix] = [:]
        for entry in contents.entries {
            var shape = Array(entry.tensor.shape.drop(while: { $0 == 1 }))
            if shape.isEmpty { shape = [1] }
            let rows = shape.count == 1 ? 1 : shape[0]
            let columns = shape.count == 1 ? shape[0] : shape.dropFirst().reduce(1, *)
            tensors[entry.name] = FloatMatrix(rows: rows, columns: columns, values: entry.tensor.asDoubles())
        }
        let expected = Set(spec.parameterSlots.map(\.name))
        let unused = tensors.keys.filter { !expected.contains($0) }.sorted()
        if !unused.isEmpty && unused.count == tensors.count {
            throw DiagnosticError([.error("none of the tensors in the file match the model's parameter names "
                                          + "(first: '\(unused[0])'; see docs/golden-model.md for the names)", file: path)])
        }
        return tensors
    }

    /// Input values from a `.npy` file: `C x H x W` (or `1 x C x H x W`) pixels for ViTs, `tokens x D`
    /// for attention blocks. Returned in C order.
    public static func loadInput(path: String, spec: ModelSpec) throws(DiagnosticError) -> [Double] {
        let tensor = try NPY.read(path: path)
        var shape = tensor.shape
        if shape.count == 4 && shape[0] == 1 { shape.removeFirst() }
        let expected: [Int]
        if let image = spec.image {
            expected = [image.channels, image.height, image.width]
        } else {
            expected = [spec.tokens, spec.embedDim]
        }
        guard shape == expected else {
            throw DiagnosticError([.error("input has shape \(Tensor.shapeText(tensor.shape)); the model needs \(Tensor.shapeText(expected))",
                                          file: path)])
        }
        return tensor.asDoubles()
    }
}
