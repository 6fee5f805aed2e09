import Foundation
import Testing
@testable import MoehlsKit

// Tests of Sources/MoehlsKit/TensorIO: .npy and .safetensors files, 16-bit float conversions.
// Fixtures in Fixtures/tensorio/ were written once by NumPy (make_fixtures.py there).

/// The directory of the NumPy-written fixtures, in the source tree.
private let tensorFixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Fixtures/tensorio")

/// A fresh scratch directory, removed by the caller.
private func tensorScratchDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("moehls-tensorio-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// The first diagnostic's message of a `DiagnosticError`, or "" when `body` did not throw one.
private func tensorErrorMessage(_ body: () throws -> Void) -> (message: String, file: String?) {
    do {
        try body()
        return ("", nil)
    } catch let error as DiagnosticError {
        return (error.diagnostics.map(\.message).joined(separator: "\n"), error.diagnostics.first?.file)
    } catch {
        return ("not a DiagnosticError: \(error)", nil)
    }
}

/// A `.npy` file with `header` (a dict literal) laid out as NumPy does, followed by `data`.
private func npyFile(_ header: String, version: UInt8 = 1, data: [UInt8] = []) -> [UInt8] {
    var dict = Array(header.utf8)
    let prefix = version == 1 ? 10 : 12
    dict += [UInt8](repeating: 0x20, count: 64 - (prefix + dict.count + 1) % 64)
    dict.append(0x0A)
    var bytes = NPY.magic + [version, 0]
    for i in 0..<(prefix - 8) { bytes.append(UInt8(truncatingIfNeeded: dict.count >> (8 * i))) }
    return bytes + dict + data
}

/// Deterministic sample values for every dtype, including the awkward ones (NaN, -0, infinities,
/// subnormals, extremes).
private func sampleTensor(_ dtype: Tensor.DType, shape: [Int], seed: UInt64) -> Tensor {
    let count = Tensor.elementCount(of: shape)!
    var rng = SplitMix64(seed: seed)
    let specialsD: [Double] = [.nan, -0.0, .infinity, -.infinity, .leastNonzeroMagnitude, .greatestFiniteMagnitude, 1, -1.5]
    let specialsF: [Float] = [.nan, -0.0, .infinity, -.infinity, .leastNonzeroMagnitude, .greatestFiniteMagnitude, 1, -1.5]
    func pick<T>(_ specials: [T], _ random: () -> T) -> [T] {
        (0..<count).map { $0 < specials.count ? specials[$0] : random() }
    }
    let storage: Tensor.Storage
    switch dtype {
    case .float64: storage = .float64(pick(specialsD) { Double(bitPattern: rng.next()) })
    case .float32: storage = .float32(pick(specialsF) { Float(bitPattern: UInt32(truncatingIfNeeded: rng.next())) })
    case .int64: storage = .int64(pick([.min, .max, 0, -1]) { Int64(bitPattern: rng.next()) })
    case .int32: storage = .int32(pick([.min, .max, 0, -1]) { Int32(truncatingIfNeeded: rng.next()) })
    case .int16: storage = .int16(pick([.min, .max, 0, -1]) { Int16(truncatingIfNeeded: rng.next()) })
    case .int8: storage = .int8(pick([.min, .max, 0, -1]) { Int8(truncatingIfNeeded: rng.next()) })
    case .uint64: storage = .uint64(pick([.max, 0]) { rng.next() })
    case .uint32: storage = .uint32(pick([.max, 0]) { UInt32(truncatingIfNeeded: rng.next()) })
    case .uint16: storage = .uint16(pick([.max, 0]) { UInt16(truncatingIfNeeded: rng.next()) })
    case .uint8: storage = .uint8(pick([.max, 0]) { UInt8(truncatingIfNeeded: rng.next()) })
    case .bool: storage = .bool(pick([true, false]) { rng.next() & 1 == 1 })
    }
    return Tensor(shape: shape, storage: storage)
}

private let sampleShapes: [[Int]] = [[], [0], [3, 0, 2], [7], [2, 3, 4]]

// MARK: - .npy

@Suite(.tags(.unit))
struct TensorIONPYTests {
    struct Fixture: Sendable, CustomTestStringConvertible {
        var file: String
        var expected: Tensor
        /// Little-endian, C order, format 1.0: moehls writes exactly these bytes.
        var canonical: Bool
        var testDescription: String { file }
    }

    static let fixtures: [Fixture] = [
        Fixture(file: "f8_2x3.npy", expected: Tensor(shape: [2, 3], storage: .float64([-1, -0.5, 0, 0.5, 1, 1.5])), canonical: true),
        Fixture(file: "f4_0d.npy", expected: Tensor(shape: [], storage: .float32([1.5])), canonical: true),
        Fixture(file: "u1_0x4.npy", expected: Tensor(shape: [0, 4], storage: .uint8([])), canonical: true),
        Fixture(file: "i8_3.npy", expected: Tensor(shape: [3], storage: .int64([.min, -1, 1 << 40])), canonical: true),
        Fixture(file: "i4_3.npy", expected: Tensor(shape: [3], storage: .int32([.min, 0, .max])), canonical: true),
        Fixture(file: "i2_3.npy", expected: Tensor(shape: [3], storage: .int16([-32768, 1, 32767])), canonical: true),
        Fixture(file: "i1_3.npy", expected: Tensor(shape: [3], storage: .int8([-128, 0, 127])), canonical: true),
        Fixture(file: "u2_3.npy", expected: Tensor(shape: [3], storage: .uint16([0, 1, 65535])), canonical: true),
        Fixture(file: "u4_3.npy", expected: Tensor(shape: [3], storage: .uint32([0, 1, .max])), canonical: true),
        Fixture(file: "u8_3.npy", expected: Tensor(shape: [3], storage: .uint64([0, 1, .max])), canonical: true),
        Fixture(file: "b1_2x2x2.npy", expected: Tensor(shape: [2, 2, 2], storage: .bool([true, false, false, true, true, true, false, false])), canonical: true),
        Fixture(file: "f8_1e18x0.npy", expected: Tensor(shape: [1_000_000_000_000_000_000, 0], storage: .float64([])), canonical: true),
        Fixture(file: "u1_rank36.npy", expected: Tensor(shape: [2] + Array(repeating: 1, count: 35), storage: .uint8([3, 7])), canonical: true),
        Fixture(file: "be_f4_2x2.npy", expected: Tensor(shape: [2, 2], storage: .float32([1, 2, 3, -0.25])), canonical: false),
        Fixture(file: "be_i2_3.npy", expected: Tensor(shape: [3], storage: .int16([1, -2, 300])), canonical: false),
        Fixture(file: "be_u8_2.npy", expected: Tensor(shape: [2], storage: .uint64([1, .max - 1])), canonical: false),
        Fixture(file: "fortran_i2_2x3.npy", expected: Tensor(shape: [2, 3], storage: .int16([0, 1, 2, 3, 4, 5])), canonical: false),
        Fixture(file: "fortran_f8_2x3x4.npy", expected: Tensor(shape: [2, 3, 4], storage: .float64((0..<24).map(Double.init))), canonical: false),
        Fixture(file: "f2_4.npy", expected: Tensor(shape: [4], storage: .float32([1, 65504, 0x1p-24, -2])), canonical: false),
        Fixture(file: "v2_f8_2.npy", expected: Tensor(shape: [2], storage: .float64([0.25, -8])), canonical: false),
        Fixture(file: "v3_f8_2.npy", expected: Tensor(shape: [2], storage: .float64([0.25, -8])), canonical: false),
    ]

    @Test(arguments: fixtures)
    func numpyFixtureReadsAndCanonicalOnesReencodeByteForByte(_ fixture: Fixture) throws {
        let path = tensorFixtures.appendingPathComponent(fixture.file).path
        let tensor = try NPY.read(path: path)
        #expect(tensor.isIdentical(to: fixture.expected), "\(tensor) vs \(fixture.expected)")
        #expect(tensor == fixture.expected)
        let reencoded = NPY.encode(tensor)
        if fixture.canonical {
            let fileBytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
            #expect(reencoded == fileBytes)
        }
        // Whatever the source layout, our own file reads back identically.
        #expect(try NPY.decode(reencoded, file: "re.npy").isIdentical(to: tensor))
    }

    @Test func headerTextMatchesNumpySave() {
        let tensor = Tensor(shape: [2, 3], storage: .float32([1, 2, 3, 4, 5, 6]))
        let header = NPY.headerBytes(for: tensor)
        #expect(header.count == 128)
        #expect(Array(header.prefix(10)) == NPY.magic + [1, 0, 118, 0])
        let text = String(decoding: header.dropFirst(10), as: UTF8.self)
        #expect(text.hasPrefix("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }" + String(repeating: " ", count: 20)))
        #expect(text.hasSuffix(" \n"))
        // 0-d: no growth padding; 1-d: Python's one-element tuple.
        #expect(String(decoding: NPY.headerBytes(for: Tensor(shape: [], storage: .bool([true]))), as: UTF8.self)
            .contains("{'descr': '|b1', 'fortran_order': False, 'shape': (), }    "))
        #expect(String(decoding: NPY.headerBytes(for: Tensor(shape: [1], storage: .uint8([1]))), as: UTF8.self)
            .contains("'shape': (1,), }"))
    }

    @Test(arguments: Tensor.DType.allCases)
    func everyDtypeAndShapeKindRoundTrips(_ dtype: Tensor.DType) throws {
        for (index, shape) in sampleShapes.enumerated() {
            let tensor = sampleTensor(dtype, shape: shape, seed: UInt64(index))
            let bytes = NPY.encode(tensor)
            #expect(bytes == NPY.encode(tensor), "encoding is deterministic")
            let headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
            #expect((10 + headerLength) % 64 == 0, "data starts at a multiple of 64")
            #expect(bytes.count == 10 + headerLength + tensor.byteCount)
            let decoded = try NPY.decode(bytes, file: "t.npy")
            #expect(decoded.isIdentical(to: tensor), "\(dtype) \(shape)")
            #expect(decoded.shape == shape && decoded.dtype == dtype)
            let fromData = try NPY.decode(Data(bytes), file: "t.npy")
            #expect(fromData.isIdentical(to: tensor))
        }
    }

    @Test func writeAndReadAFile() throws {
        let directory = try tensorScratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("image.npy").path
        let image = Tensor(shape: [3, 4, 5], storage: .uint8((0..<60).map { UInt8($0 * 4) }))
        try NPY.write(image, to: path)
        #expect(try NPY.read(path: path) == image)
        #expect([UInt8](try Data(contentsOf: URL(fileURLWithPath: path))) == NPY.encode(image))
        #expect(image.asDoubles()[59] == 236)
    }

    @Test func fileSystemErrorsNameTheFile() throws {
        let directory = try tensorScratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let missing = directory.appendingPathComponent("missing.npy").path
        var result = tensorErrorMessage { _ = try NPY.read(path: missing) }
        #expect(result.message == "no such file" && result.file == missing)
        result = tensorErrorMessage { _ = try NPY.read(path: directory.path) }
        #expect(result.message == "is a directory, not a file")
        let nowhere = directory.appendingPathComponent("no/such/dir/x.npy").path
        result = tensorErrorMessage { try NPY.write(Tensor(shape: [], storage: .float64([1])), to: nowhere) }
        #expect(result.message.contains("cannot write file: no such directory") && result.file == nowhere)
    }

    static let f8Data = [UInt8](repeating: 0, count: 48)

    /// Malformed files and the message each must produce (a substring of it).
    static let malformed: [(String, [UInt8], String)] = [
        ("empty file", [], "file is empty; expected a .npy file"),
        ("bad magic", Array("GIF89a not numpy at all".utf8), "not a .npy file: it does not start with the NumPy magic string"),
        ("bad magic case", Array("\u{93}numpy".utf8) + [1, 0, 0, 0], "not a .npy file"),
        ("magic only", NPY.magic + [1], "truncated .npy file: 7 bytes"),
        ("version 4.0", NPY.magic + [4, 0, 0, 0, 0, 0], "unsupported .npy format version 4.0; moehls reads versions 1.0, 2.0 and 3.0"),
        ("version 1.1", NPY.magic + [1, 1, 0, 0], "unsupported .npy format version 1.1"),
        ("v2 without length", NPY.magic + [2, 0, 0, 0], "too short to hold the header length"),
        ("header length beyond the file", NPY.magic + [1, 0, 0xE8, 0x03] + Array("{'descr': '<f8'".utf8),
         "truncated .npy file: the header length field says 1000 bytes, but only 15 bytes follow it"),
        ("huge v2 header length", NPY.magic + [2, 0, 0xFF, 0xFF, 0xFF, 0xFF] + [UInt8](repeating: 0x20, count: 64),
         "the .npy header length field says 4294967295 bytes; moehls accepts headers up to 1048576 bytes"),
        ("header is a list", npyFile("[1, 2]"), "the header must be a dict, found a list"),
        ("missing colon", npyFile("{'descr' '<f8', 'fortran_order': False, 'shape': (6,), }", data: f8Data),
         "malformed .npy header: expected ':' after the key 'descr', found \"'\" (header byte 9): {'descr' '<f8', 'fortran_order'"),
        ("unterminated string", npyFile("{'descr': '<f8, 'fortran_order': False, 'shape': (6,), }"),
         "malformed .npy header"),
        ("unclosed dict", npyFile("{'descr': '<f8', 'fortran_order': False, 'shape': (6,)"),
         "expected ',' or '}' in the dict, found the end of the header"),
        ("garbage after the dict", npyFile("{'descr': '<f8', 'fortran_order': False, 'shape': (6,), } 7", data: f8Data),
         "unexpected '7' after the header dict"),
        ("code instead of a literal", npyFile("{'descr': __import__('os').system('true'), 'fortran_order': False, 'shape': (6,), }"),
         "unexpected name '__import__'; only True, False and None are allowed"),
        ("nested too deep", npyFile("{'descr': '<f8', 'fortran_order': False, 'shape': " + String(repeating: "(", count: 40) + "6" + String(repeating: ",)", count: 40) + "}"),
         "values nested more than 16 deep"),
        ("extra key", npyFile("{'descr': '<f8', 'fortran_order': False, 'shape': (6,), 'order': 'C'}", data: f8Data),
         "bad .npy header: unexpected key 'order'; the header has exactly the keys 'descr', 'fortran_order' and 'shape'"),
        ("missing key", npyFile("{'descr': '<f8', 'fortran_order': False}"), "the key 'shape' is missing"),
        ("duplicate key", npyFile("{'descr': '<f8', 'descr': '<f4', 'fortran_order': False, 'shape': (6,), }"),
         "duplicate key 'descr'"),
        ("non-string key", npyFile("{1: '<f8', 'fortran_order': False, 'shape': (6,), }"), "dict keys must be strings, found an integer"),
        ("structured dtype", npyFile("{'descr': [('x', '<f8'), ('y', '<i4')], 'fortran_order': False, 'shape': (6,), }"),
         "structured dtypes ('descr' is a list of fields) are not supported"),
        ("complex dtype", npyFile("{'descr': '<c16', 'fortran_order': False, 'shape': (6,), }"),
         "unsupported dtype '<c16' (complex numbers); moehls reads float16/32/64"),
        ("string dtype", npyFile("{'descr': '<U5', 'fortran_order': False, 'shape': (6,), }"), "unsupported dtype '<U5' (strings)"),
        ("object dtype", npyFile("{'descr': '|O', 'fortran_order': False, 'shape': (6,), }"), "unsupported dtype '|O' (Python objects)"),
        ("long double", npyFile("{'descr': '<f16', 'fortran_order': False, 'shape': (6,), }"), "unsupported dtype '<f16' (this float width)"),
        ("dtype name", npyFile("{'descr': 'float64', 'fortran_order': False, 'shape': (6,), }"), "unsupported dtype 'float64'"),
        ("fortran_order not a bool", npyFile("{'descr': '<f8', 'fortran_order': 0, 'shape': (6,), }"),
         "'fortran_order' must be True or False, found an integer"),
        ("shape is a list", npyFile("{'descr': '<f8', 'fortran_order': False, 'shape': [2, 3], }", data: f8Data),
         "'shape' must be a tuple of integers such as (2, 3), found a list"),
        ("shape is a bare integer", npyFile("{'descr': '<f8', 'fortran_order': False, 'shape': (6), }", data: f8Data),
         "'shape' must be a tuple of integers such as (2, 3), found an integer"),
        ("shape holds a string", npyFile("{'descr': '<f8', 'fortran_order': False, 'shape': ('6',), }"),
         "'shape' must be a tuple of integers, found a string in it"),
        ("negative extent", npyFile("{'descr': '<f8', 'fortran_order': False, 'shape': (2, -3), }"), "'shape' has a negative extent -3"),
        ("float extent", npyFile("{'descr': '<f8', 'fortran_order': False, 'shape': (2.5,), }"), "malformed integer"),
        ("extent beyond 64 bits", npyFile("{'descr': '<f8', 'fortran_order': False, 'shape': (99999999999999999999,), }"),
         "integer 99999999999999999999 does not fit in 64 bits"),
        ("element count overflows", npyFile("{'descr': '<f8', 'fortran_order': False, 'shape': (4611686018427387904, 8), }", data: f8Data),
         "shape (4611686018427387904, 8) has more elements than a 64-bit count can hold"),
        ("byte count overflows", npyFile("{'descr': '<f8', 'fortran_order': False, 'shape': (2305843009213693952, 2), }", data: f8Data),
         "shape (2305843009213693952, 2) of '<f8' needs more bytes than a 64-bit size can hold"),
        ("huge but representable", npyFile("{'descr': '<f8', 'fortran_order': False, 'shape': (1099511627776,), }", data: f8Data),
         "truncated .npy file: shape (1099511627776,) of '<f8' needs 8796093022208 bytes of data, but only 48 bytes follow the header"),
        ("65 axes", npyFile("{'descr': '<f8', 'fortran_order': False, 'shape': (" + String(repeating: "1, ", count: 65) + "), }"),
         "'shape' has 65 axes; NumPy supports at most 64"),
        ("truncated data", npyFile("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }", data: Array(f8Data.prefix(40))),
         "truncated .npy file: shape (2, 3) of '<f8' needs 48 bytes of data, but only 40 bytes follow the header"),
        ("trailing data", npyFile("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }", data: f8Data + [1, 2, 3, 4, 5, 6, 7, 8]),
         "8 unexpected bytes after the array data: shape (2, 3) of '<f8' needs 48 bytes, but 56 bytes follow the header"),
        ("invalid UTF-8 in a 3.0 header", npyFile("{'descr': '<f8\u{FFFF}', 'fortran_order': False, 'shape': (6,), }", version: 3).map { $0 == 0xEF ? 0xC0 : $0 },
         "string is not valid UTF-8"),
        ("unsupported escape", npyFile("{'descr': '<f\\x38', 'fortran_order': False, 'shape': (6,), }"), "unsupported escape '\\x' in a string"),
    ]

    @Test(arguments: 0..<malformed.count)
    func malformedFilesGiveAClearDiagnostic(_ index: Int) {
        let (name, bytes, expected) = Self.malformed[index]
        let result = tensorErrorMessage { _ = try NPY.decode(bytes, file: "in.npy") }
        #expect(result.message.contains(expected), "\(name): \(result.message)")
        #expect(result.file == "in.npy", "\(name)")
    }

    @Test func lenientButSafeHeaderSpellings() throws {
        let data = (0..<6).flatMap { _ in [UInt8](repeating: 0, count: 8) }
        // Double quotes, no trailing comma, other key order, Python 2 long suffix, no padding rule.
        for header in [
            "{\"descr\": \"<f8\", \"fortran_order\": False, \"shape\": (2, 3)}",
            "{'shape': (2L, 3L), 'fortran_order': False, 'descr': '<f8'}",
            "{ 'descr' : '=f8' ,\n 'fortran_order' : False , 'shape' : ( 2 , 3 , ) , }",
        ] {
            let tensor = try NPY.decode(npyFile(header, data: data), file: "ok.npy")
            #expect(tensor.shape == [2, 3] && tensor.dtype == .float64, "\(header)")
        }
        // Bool bytes other than 0 and 1 read as true rather than producing invalid Bools.
        let flags = try NPY.decode(npyFile("{'descr': '|b1', 'fortran_order': False, 'shape': (3,), }", data: [0, 1, 7]), file: "b.npy")
        #expect(flags.storage == .bool([false, true, true]))
    }

    /// Every prefix of a valid file, and random corruptions, give a value or a DiagnosticError: never a trap.
    @Test func truncationsAndCorruptionsNeverCrash() {
        let valid = NPY.encode(sampleTensor(.float32, shape: [2, 3, 4], seed: 9))
        for length in 0..<valid.count {
            let result = tensorErrorMessage { _ = try NPY.decode(Array(valid.prefix(length)), file: "cut.npy") }
            #expect(result.file == "cut.npy", "prefix of \(length) bytes: \(result.message)")
        }
        var rng = SplitMix64(seed: 42)
        for _ in 0..<3000 {
            var bytes = valid
            for _ in 0..<(1 + Int(rng.next(below: 4))) {
                let position = Int(rng.next(below: UInt64(min(bytes.count, 140))))
                bytes[position] = UInt8(truncatingIfNeeded: rng.next())
            }
            _ = try? NPY.decode(bytes, file: "fuzz.npy")
        }
    }

    @Test func tenMillionFloat64RoundTripUsesBulkCopies() throws {
        let count = 10_000_000
        let values = [Double](unsafeUninitializedCapacity: count) { buffer, initialized in
            for i in 0..<count { buffer[i] = Double(i) * 0.5 }
            initialized = count
        }
        let tensor = Tensor(shape: [10, 1000, 1000], storage: .float64(values))
        let clock = ContinuousClock()
        let start = clock.now
        let bytes = NPY.encode(tensor)
        let decoded = try NPY.decode(bytes, file: "big.npy")
        let elapsed = clock.now - start
        #expect(bytes.count == 128 + 80_000_000)
        #expect(decoded.isIdentical(to: tensor))
        // Generous even for a debug build on a loaded machine; per-element appends take far longer.
        #expect(elapsed < .seconds(5), "\(elapsed)")
    }
}

// MARK: - 16-bit floats

@Suite(.tags(.unit))
struct TensorIOHalfPrecisionTests {
    @Test func float16KnownPatterns() {
        let cases: [(UInt16, Double)] = [
            (0x3C00, 1), (0x7BFF, 65504), (0x0001, 0x1p-24), (0xC000, -2), (0x0400, 0x1p-14),
            (0x03FF, 1023 * 0x1p-24), (0x8000, -0.0), (0x0000, 0), (0x7C00, .infinity), (0xFC00, -.infinity),
            (0x3555, 0.333251953125), (0x3BFF, 0.99951171875), (0x8001, -0x1p-24),
        ]
        for (bits, value) in cases {
            #expect(HalfPrecision.double(fromFloat16Bits: bits).bitPattern == value.bitPattern, "0x\(String(bits, radix: 16))")
            #expect(HalfPrecision.float(fromFloat16Bits: bits).bitPattern == Float(value).bitPattern)
            #expect(HalfPrecision.float16Bits(value) == bits)
            #expect(HalfPrecision.float16Bits(Float(value)) == bits)
        }
        #expect(HalfPrecision.float(fromFloat16Bits: 0x7E00).isNaN)
        #expect(HalfPrecision.float(fromFloat16Bits: 0x7C01).isNaN)
        #expect(HalfPrecision.float16Bits(Float.nan) == 0x7E00)
        #expect(HalfPrecision.float16Bits(-Double.nan) == 0xFE00)
    }

    @Test func float16RoundsToNearestEven() {
        let cases: [(Double, UInt16)] = [
            (65519.99, 0x7BFF), (65520, 0x7C00), (1e6, 0x7C00), (-1e300, 0xFC00),  // overflow to infinity
            (0x1p-25, 0x0000), (0x1.000002p-25, 0x0001), (3 * 0x1p-25, 0x0002), (0x1p-26, 0),  // subnormal ties
            (-0x1p-25, 0x8000), (.leastNonzeroMagnitude, 0), (0x1p-1030, 0),
            (1 + 0x1p-11, 0x3C00), (1 + 3 * 0x1p-11, 0x3C02), (1 + 0x1p-11 + 0x1p-40, 0x3C01),
            (0x1p-14 - 0x1p-25, 0x0400),  // largest subnormal + half a unit carries into the smallest normal
            (2047, 0x67FF), (2049, 0x6800), (2051, 0x6802),
        ]
        for (value, bits) in cases {
            #expect(HalfPrecision.float16Bits(value) == bits, "\(value)")
        }
    }

    @Test func bfloat16KnownPatternsAndRounding() {
        let cases: [(UInt16, Float)] = [
            (0x3F80, 1), (0xC000, -2), (0x7F80, .infinity), (0xFF80, -.infinity), (0x0001, 0x1p-133),
            (0x0080, 0x1p-126), (0x7F7F, 0x1.FEp127), (0x8000, -0.0), (0x4049, 3.140625),
        ]
        for (bits, value) in cases {
            #expect(HalfPrecision.float(fromBFloat16Bits: bits).bitPattern == value.bitPattern, "0x\(String(bits, radix: 16))")
            #expect(HalfPrecision.double(fromBFloat16Bits: bits) == Double(value))
            #expect(HalfPrecision.bfloat16Bits(value) == bits)
        }
        #expect(HalfPrecision.bfloat16Bits(Float(bitPattern: 0x3F80_8000)) == 0x3F80)  // tie -> even
        #expect(HalfPrecision.bfloat16Bits(Float(bitPattern: 0x3F81_8000)) == 0x3F82)  // tie -> even
        #expect(HalfPrecision.bfloat16Bits(Float(bitPattern: 0x3F80_8001)) == 0x3F81)
        #expect(HalfPrecision.bfloat16Bits(Float.greatestFiniteMagnitude) == 0x7F80)
        #expect(HalfPrecision.bfloat16Bits(Float.nan) == 0x7FC0)
        // Rounding a Double once differs from rounding it to Float first (double rounding).
        let justAboveTie = 1 + 0x1p-8 + 0x1p-40
        #expect(HalfPrecision.bfloat16Bits(justAboveTie) == 0x3F81)
        #expect(HalfPrecision.bfloat16Bits(Float(justAboveTie)) == 0x3F80)
    }

    @Test func everyPatternWidensAndNarrowsBack() {
        for raw in 0...UInt16.max {
            let half = HalfPrecision.float(fromFloat16Bits: raw)
            let brain = HalfPrecision.float(fromBFloat16Bits: raw)
            if half.isNaN {
                #expect(HalfPrecision.float16Bits(half) & 0x7C00 == 0x7C00 && HalfPrecision.float16Bits(half) & 0x03FF != 0)
            } else if HalfPrecision.float16Bits(half) != raw || HalfPrecision.float16Bits(Double(half)) != raw {
                Issue.record("float16 0x\(String(raw, radix: 16)) does not survive widening and narrowing")
            }
            if brain.isNaN {
                #expect(HalfPrecision.bfloat16Bits(brain) & 0x7FC0 == 0x7FC0)
            } else if HalfPrecision.bfloat16Bits(brain) != raw || HalfPrecision.bfloat16Bits(Double(brain)) != raw {
                Issue.record("bfloat16 0x\(String(raw, radix: 16)) does not survive widening and narrowing")
            }
        }
    }

    /// Float -> bfloat16 against the classic integer formula (round half to even on the low 16 bits).
    @Test func bfloat16MatchesTheIntegerFormula() {
        var rng = SplitMix64(seed: 7)
        for _ in 0..<200_000 {
            let bits = UInt32(truncatingIfNeeded: rng.next())
            let value = Float(bitPattern: bits)
            if value.isNaN { continue }
            let expected = UInt16((bits &+ 0x7FFF &+ ((bits >> 16) & 1)) >> 16)
            if HalfPrecision.bfloat16Bits(value) != expected {
                Issue.record("bfloat16(\(value)) = 0x\(String(HalfPrecision.bfloat16Bits(value), radix: 16)), expected 0x\(String(expected, radix: 16))")
                return
            }
        }
    }

    #if !(os(macOS) && arch(x86_64))
    /// Float and Double -> binary16 against Swift's own `Float16` conversions, where they exist.
    @Test func float16MatchesSwiftFloat16() {
        var rng = SplitMix64(seed: 11)
        for i in 0..<200_000 {
            // Half the samples in and around binary16's range, half anywhere.
            let double: Double
            if i % 2 == 0 {
                let exponent = Int(rng.next(below: 50)) - 30
                double = Double(sign: rng.next() & 1 == 0 ? .plus : .minus, exponent: exponent,
                                significand: 1 + Double(rng.next() >> 12) * 0x1p-52)
            } else {
                double = Double(bitPattern: rng.next())
            }
            let float = Float(bitPattern: UInt32(truncatingIfNeeded: rng.next()))
            if !double.isNaN, HalfPrecision.float16Bits(double) != Float16(double).bitPattern {
                Issue.record("float16(\(double)): 0x\(String(HalfPrecision.float16Bits(double), radix: 16)) vs 0x\(String(Float16(double).bitPattern, radix: 16))")
                return
            }
            if !float.isNaN, HalfPrecision.float16Bits(float) != Float16(float).bitPattern {
                Issue.record("float16(\(float)): 0x\(String(HalfPrecision.float16Bits(float), radix: 16)) vs 0x\(String(Float16(float).bitPattern, radix: 16))")
                return
            }
        }
    }
    #endif
}

// MARK: - .safetensors

@Suite(.tags(.unit))
struct TensorIOSafetensorsTests {
    /// A `.safetensors` file from a header JSON text and a data buffer.
    static func file(_ json: String, data: [UInt8] = [], length: UInt64? = nil) -> [UInt8] {
        let header = Array(json.utf8)
        let n = length ?? UInt64(header.count)
        return (0..<8).map { UInt8(truncatingIfNeeded: n >> (8 * UInt64($0))) } + header + data
    }

    /// The byte vectors of the reference implementation's own tests (safetensors/src/tensor.rs).
    @Test func matchesTheReferenceImplementationBytes() throws {
        let attn = Tensor(shape: [1, 2, 3], storage: .float32([0, 1, 2, 3, 4, 5]))
        let expected: [UInt8] = [
            64, 0, 0, 0, 0, 0, 0, 0, 123, 34, 97, 116, 116, 110, 46, 48, 34, 58, 123, 34, 100,
            116, 121, 112, 101, 34, 58, 34, 70, 51, 50, 34, 44, 34, 115, 104, 97, 112, 101, 34,
            58, 91, 49, 44, 50, 44, 51, 93, 44, 34, 100, 97, 116, 97, 95, 111, 102, 102, 115,
            101, 116, 115, 34, 58, 91, 48, 44, 50, 52, 93, 125, 125, 0, 0, 0, 0, 0, 0, 128, 63,
            0, 0, 0, 64, 0, 0, 64, 64, 0, 0, 128, 64, 0, 0, 160, 64,
        ]
        #expect(try Safetensors.encode([.init(name: "attn.0", tensor: attn)]) == expected)
        let padded: [UInt8] = [
            72, 0, 0, 0, 0, 0, 0, 0, 123, 34, 97, 116, 116, 110, 48, 34, 58, 123, 34, 100, 116,
            121, 112, 101, 34, 58, 34, 70, 51, 50, 34, 44, 34, 115, 104, 97, 112, 101, 34, 58,
            91, 49, 44, 49, 44, 50, 44, 51, 93, 44, 34, 100, 97, 116, 97, 95, 111, 102, 102,
            115, 101, 116, 115, 34, 58, 91, 48, 44, 50, 52, 93, 125, 125, 32, 32, 32, 32, 32,
            32, 32, 0, 0, 0, 0, 0, 0, 128, 63, 0, 0, 0, 64, 0, 0, 64, 64, 0, 0, 128, 64, 0, 0,
            160, 64,
        ]
        let attn0 = Tensor(shape: [1, 1, 2, 3], storage: .float32([0, 1, 2, 3, 4, 5]))
        #expect(try Safetensors.encode([.init(name: "attn0", tensor: attn0)]) == padded)
        #expect(try Safetensors.encode([]) == [8, 0, 0, 0, 0, 0, 0, 0, 123, 125, 32, 32, 32, 32, 32, 32])
        let withMetadata: [UInt8] = [
            40, 0, 0, 0, 0, 0, 0, 0, 123, 34, 95, 95, 109, 101, 116, 97, 100, 97, 116, 97, 95,
            95, 34, 58, 123, 34, 102, 114, 97, 109, 101, 119, 111, 114, 107, 34, 58, 34, 112,
            116, 34, 125, 125, 32, 32, 32, 32, 32,
        ]
        #expect(try Safetensors.encode([], metadata: ["framework": "pt"]) == withMetadata)
        // And they read back.
        let contents = try Safetensors.decode(padded, file: "ref.safetensors")
        #expect(contents.names == ["attn0"] && contents["attn0"] == attn0 && contents.entry(named: "attn0")?.dtype == .F32)
        #expect(try Safetensors.decode(withMetadata, file: "ref.safetensors").metadata == ["framework": "pt"])
    }

    @Test func everyDtypeRoundTripsInFileOrder() throws {
        var entries: [Safetensors.Entry] = []
        for (d, dtype) in Tensor.DType.allCases.enumerated() {
            for (s, shape) in sampleShapes.enumerated() {
                entries.append(.init(name: "\(dtype).\(s)", tensor: sampleTensor(dtype, shape: shape, seed: UInt64(10 * d + s))))
            }
        }
        let halves = Tensor(shape: [2, 3], storage: .float32([1, -2, 65504, 0x1p-24, .infinity, -0.0]))
        entries.append(.init(name: "half", tensor: halves, dtype: .F16))
        let brains = Tensor(shape: [2, 3], storage: .float32([1, -2, 3.140625, 0x1p-133, .infinity, -0.0]))
        entries.append(.init(name: "brain", tensor: brains, dtype: .BF16))
        let metadata = ["format": "pt", "quote\"key": "line\nbreak \u{1} ü"]
        var rng = SplitMix64(seed: 3)
        let bytes = try Safetensors.encode(entries.shuffled(using: &rng), metadata: metadata)
        #expect(try Safetensors.encode(entries.reversed(), metadata: metadata) == bytes, "input order does not matter")

        let contents = try Safetensors.decode(bytes, file: "all.safetensors")
        #expect(contents.metadata == metadata)
        #expect(contents.entries.count == entries.count)
        for entry in entries {
            let read = try #require(contents.entry(named: entry.name))
            #expect(read.dtype == entry.dtype)
            #expect(read.tensor.isIdentical(to: entry.tensor), "\(entry.name)")
        }
        // File order: largest alignment first, then by name; every tensor aligned to its size.
        let order = contents.entries.map(\.dtype.referenceOrder)
        #expect(order == order.sorted(by: >))
        let headerLength = bytes.prefix(8).reversed().reduce(0) { $0 << 8 | Int($1) }
        #expect(headerLength % 8 == 0)
        // Re-encoding what was read gives the same bytes.
        #expect(try Safetensors.encode(contents.entries, metadata: contents.metadata) == bytes)
    }

    @Test func floatTensorsConvertWhenWritten() throws {
        let values = Tensor(shape: [5], storage: .float64([1, 65520, 0x1p-25 * 3, 1 + 0x1p-8 + 0x1p-40, .pi]))
        let bytes = try Safetensors.encode([
            .init(name: "h", tensor: values, dtype: .F16), .init(name: "b", tensor: values, dtype: .BF16),
            .init(name: "f", tensor: values, dtype: .F32),
        ])
        let contents = try Safetensors.decode(bytes, file: "c.safetensors")
        #expect(contents["h"] == Tensor(shape: [5], storage: .float32([1, .infinity, 0x1p-23, 1 + 0x1p-8, 3.140625])))
        #expect(contents["b"] == Tensor(shape: [5], storage: .float32([1, 65536, 0x1p-25 * 3, 1 + 0x1p-7, 3.140625])))
        #expect(contents["f"] == Tensor(shape: [5], storage: .float32([1, 65520, 0x1p-25 * 3, 1 + 0x1p-8, Float(Double.pi)])))
        #expect(contents["missing"] == nil)
    }

    @Test func encodingRejectsImpossibleRequests() {
        let ints = Tensor(shape: [2], storage: .int32([1, 2]))
        var result = tensorErrorMessage { _ = try Safetensors.encode([.init(name: "w", tensor: ints, dtype: .F16)]) }
        #expect(result.message.contains("tensor 'w' holds int32 and cannot be written as F16"))
        result = tensorErrorMessage { _ = try Safetensors.encode([.init(name: "w", tensor: ints), .init(name: "w", tensor: ints)]) }
        #expect(result.message.contains("two tensors are named 'w'"))
        result = tensorErrorMessage { _ = try Safetensors.encode([.init(name: "__metadata__", tensor: ints)]) }
        #expect(result.message.contains("'__metadata__' is reserved"))
    }

    @Test func writeAndReadAFile() throws {
        let directory = try tensorScratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("w.safetensors").path
        let weight = Tensor(shape: [2, 2], storage: .float32([0.5, -1, 2, 4]))
        try Safetensors.write([.init(name: "w", tensor: weight, dtype: .F16)], metadata: ["by": "moehls"], to: path)
        let contents = try Safetensors.read(path: path)
        #expect(contents["w"] == weight && contents.metadata == ["by": "moehls"])
        let result = tensorErrorMessage { _ = try Safetensors.read(path: directory.appendingPathComponent("nope").path) }
        #expect(result.message == "no such file")
    }

    static let f32x6 = #"{"w":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]}}"#
    static let data24 = [UInt8](repeating: 0, count: 24)

    static let malformed: [(String, [UInt8], String)] = [
        ("too short", [1, 2, 3], "not a .safetensors file: 3 bytes, too short for the 8-byte header length"),
        ("huge header length", file(f32x6, data: data24, length: .max),
         "the .safetensors header length field says 18446744073709551615 bytes, more than the 100000000-byte limit"),
        ("header length just over the cap", file(f32x6, data: data24, length: 100_000_001), "more than the 100000000-byte limit"),
        ("header length beyond the file", file(f32x6, data: data24, length: 4096),
         "truncated .safetensors file: the header length field says 4096 bytes, but only 81 bytes follow it"),
        ("not JSON", file("hello world", data: data24), "the .safetensors header is not a JSON object"),
        ("broken JSON", file(#"{"w":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]}"#, data: data24), "bad .safetensors header: invalid JSON"),
        ("invalid UTF-8", file("{\"w\u{FF}\":{}}", data: []).map { $0 == 0xC3 ? 0xFE : $0 }, "the .safetensors header is not valid UTF-8"),
        ("missing field", file(#"{"w":{"dtype":"F32","shape":[2,3]}}"#, data: data24), "tensor 'w' has no 'data_offsets' field"),
        ("shape not a list", file(#"{"w":{"dtype":"F32","shape":"2x3","data_offsets":[0,24]}}"#, data: data24), "tensor 'w': 'shape' must be a list of integers, found a string"),
        ("fractional offset", file(#"{"w":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24.5]}}"#, data: data24),
         "tensor 'w': 'data_offsets' holds 24.5, not an integer that fits in 64 bits"),
        ("offset beyond 64 bits", file(#"{"w":{"dtype":"F32","shape":[2,3],"data_offsets":[0,1e30]}}"#, data: data24),
         "tensor 'w': 'data_offsets' holds 1e30, not an integer"),
        ("offset beyond Int", file(#"{"w":{"dtype":"F32","shape":[2,3],"data_offsets":[0,99999999999999999999]}}"#, data: data24),
         "'data_offsets' holds 99999999999999999999, not an integer that fits in 64 bits"),
        ("duplicate tensor", file(#"{"w":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]},"w":{"dtype":"U8","shape":[24],"data_offsets":[0,24]}}"#, data: data24),
         "bad .safetensors header: invalid JSON: duplicate key \"w\" at byte 57 of the header"),
        ("dtype not a string", file(#"{"w":{"dtype":32,"shape":[2,3],"data_offsets":[0,24]}}"#, data: data24),
         "tensor 'w': 'dtype' must be a string such as \"F32\", found a number"),
        ("tensor not an object", file(#"{"w":[1,2]}"#, data: data24), "tensor 'w' must be an object with dtype, shape and data_offsets, found a list"),
        ("bad escape", file(#"{"w\q":{}}"#, data: []), "invalid escape '\\q' in a string"),
        ("lone surrogate", file(#"{"w\ud800":{}}"#, data: []), "unpaired surrogate"),
        ("raw control character", file("{\"w\u{1}\":{}}", data: []), "control character 0x1 inside a string"),
        ("deep nesting", file("{\"__metadata__\":" + String(repeating: "[", count: 100) + String(repeating: "]", count: 100) + "}", data: []),
         "values nested more than 32 deep"),
        ("trailing garbage", file(#"{"w":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]}} x"#, data: data24),
         "unexpected 'x' after the JSON value"),
        ("metadata not strings", file(#"{"__metadata__":{"epoch":3},"w":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]}}"#, data: data24),
         "'__metadata__'.epoch must be a string, found a number"),
        ("unsupported dtype", file(#"{"w":{"dtype":"F8_E4M3","shape":[24],"data_offsets":[0,24]}}"#, data: data24),
         "tensor 'w': unsupported dtype 'F8_E4M3'; moehls reads F64, F32, F16, BF16, I64, I32, I16, I8, U64, U32, U16, U8, BOOL"),
        ("negative extent", file(#"{"w":{"dtype":"F32","shape":[-2,-3],"data_offsets":[0,24]}}"#, data: data24),
         "tensor 'w': shape [-2, -3] has a negative extent -2"),
        ("three offsets", file(#"{"w":{"dtype":"F32","shape":[2,3],"data_offsets":[0,12,24]}}"#, data: data24),
         "tensor 'w': data_offsets must be [begin, end], found 3 numbers"),
        ("offsets backwards", file(#"{"w":{"dtype":"F32","shape":[2,3],"data_offsets":[24,0]}}"#, data: data24),
         "tensor 'w': data_offsets [24, 0] are not an increasing pair of byte offsets"),
        ("offsets out of range", file(#"{"w":{"dtype":"F32","shape":[2,3],"data_offsets":[8,32]}}"#, data: data24),
         "tensor 'w': data_offsets [8, 32] run past the end of the data buffer (24 bytes)"),
        ("wrong length", file(#"{"w":{"dtype":"F32","shape":[2,3],"data_offsets":[0,20]}}"#, data: Array(data24.prefix(20))),
         "tensor 'w': shape [2, 3] of F32 needs 24 bytes, but data_offsets [0, 20] hold 20"),
        ("element count overflows", file(#"{"w":{"dtype":"F32","shape":[4611686018427387904,8],"data_offsets":[0,24]}}"#, data: data24),
         "tensor 'w': shape [4611686018427387904, 8] has more elements than a 64-bit count can hold"),
        ("byte count overflows", file(#"{"w":{"dtype":"F64","shape":[2305843009213693952,2],"data_offsets":[0,24]}}"#, data: data24),
         "tensor 'w': shape [2305843009213693952, 2] of F64 needs more bytes than a 64-bit size can hold"),
        ("overlapping", file(#"{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]},"b":{"dtype":"F32","shape":[4],"data_offsets":[8,24]}}"#, data: data24),
         "tensor 'b': data_offsets [8, 24] overlap tensor 'a' [0, 16]"),
        ("gap", file(#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[16,24]}}"#, data: data24),
         "tensor 'b': data_offsets [16, 24] leave bytes 8..<16 of the data buffer unused"),
        ("trailing bytes", file(#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#, data: data24),
         "16 bytes at the end of the data buffer belong to no tensor"),
    ]

    @Test(arguments: 0..<malformed.count)
    func malformedFilesGiveAClearDiagnostic(_ index: Int) {
        let (name, bytes, expected) = Self.malformed[index]
        let result = tensorErrorMessage { _ = try Safetensors.decode(bytes, file: "in.safetensors") }
        #expect(result.message.contains(expected), "\(name): \(result.message)")
        #expect(result.file == "in.safetensors", "\(name)")
    }

    @Test func everyProblemIsReportedAtOnce() {
        let bytes = Self.file(#"{"a":{"dtype":"C64","shape":[1],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[-1],"data_offsets":[8,12]}}"#, data: [UInt8](repeating: 0, count: 12))
        do {
            _ = try Safetensors.decode(bytes, file: "two.safetensors")
            Issue.record("accepted")
        } catch {
            #expect(error.diagnostics.count == 2)
        }
    }

    @Test func truncationsAndCorruptionsNeverCrash() throws {
        let valid = try Safetensors.encode([
            .init(name: "a", tensor: sampleTensor(.float32, shape: [2, 3], seed: 1), dtype: .BF16),
            .init(name: "b", tensor: sampleTensor(.int64, shape: [3], seed: 2)),
            .init(name: "c", tensor: sampleTensor(.bool, shape: [0], seed: 3)),
        ], metadata: ["k": "v"])
        for length in 0..<valid.count {
            let result = tensorErrorMessage { _ = try Safetensors.decode(Array(valid.prefix(length)), file: "cut.safetensors") }
            #expect(result.file == "cut.safetensors", "prefix of \(length) bytes: \(result.message)")
        }
        var rng = SplitMix64(seed: 5)
        for _ in 0..<2000 {
            var bytes = valid
            for _ in 0..<(1 + Int(rng.next(below: 3))) {
                let position = Int(rng.next(below: UInt64(bytes.count)))
                bytes[position] = UInt8(truncatingIfNeeded: rng.next())
            }
            _ = try? Safetensors.decode(bytes, file: "fuzz.safetensors")
        }
    }
}

// MARK: - Cross-check with NumPy

/// Runs NumPy on files we write and we read files NumPy writes. CI has NumPy; a machine without it
/// fails this test with an install hint rather than skipping it silently.
@Suite(.tags(.simulation))
struct TensorIONumpyCrossCheckTests {
    static let script = #"""
import sys, glob, io, os
import numpy as np
d = sys.argv[1]
bad = []
# 1. Ours: numpy.load must accept them, and numpy.save of what it loaded must give our bytes.
for path in sorted(glob.glob(os.path.join(d, "ours_*.npy"))):
    a = np.load(path)
    buf = io.BytesIO()
    np.save(buf, a)
    if buf.getvalue() != open(path, "rb").read():
        bad.append("numpy re-saves %s differently: %r" % (os.path.basename(path), a.dtype))
# 2. Theirs: odd layouts, each with the canonical little-endian C-order file moehls should write.
rng = np.random.default_rng(1234)
cases = [
    ("f8", rng.standard_normal((3, 4, 5))),
    ("f4", rng.standard_normal((2, 7)).astype(np.float32)),
    ("f4be", rng.standard_normal((4, 3)).astype(">f4")),
    ("f8fortran", np.asfortranarray(rng.standard_normal((3, 2, 4)))),
    ("i8be", rng.integers(-2**62, 2**62, size=(5,)).astype(">i8")),
    ("u2fortran", np.asfortranarray(rng.integers(0, 65535, size=(3, 5)).astype(np.uint16))),
    ("u1image", rng.integers(0, 255, size=(3, 8, 8)).astype(np.uint8)),
    ("b1", rng.integers(0, 2, size=(2, 3)).astype(bool)),
    ("i1", np.array([-128, 127], dtype=np.int8)),
    ("scalar", np.array(7, dtype=np.int32)),
    ("empty", np.zeros((0, 3, 2), dtype=np.float32)),
    ("v2", rng.standard_normal((2,))),
]
for name, a in cases:
    if name == "v2":
        with open(os.path.join(d, "theirs_%s.npy" % name), "wb") as f:
            np.lib.format.write_array(f, a, version=(2, 0))
    else:
        np.save(os.path.join(d, "theirs_%s.npy" % name), a)
    canon = np.array(a, order="C").astype(a.dtype.newbyteorder("<"))  # keeps 0-d arrays 0-d
    np.save(os.path.join(d, "canon_%s.npy" % name), canon)
# 3. binary16 rounding: numpy converts float32 and float64 to float16 to nearest even.
x32 = rng.integers(0, 2**32, size=20000, dtype=np.uint64).astype(np.uint32).view(np.float32)
x32 = x32[~np.isnan(x32)]
x64 = (rng.standard_normal(20000) * np.exp2(rng.integers(-30, 20, size=20000))).astype(np.float64)
with np.errstate(over="ignore"):
    np.save(os.path.join(d, "half_in32.npy"), x32)
    np.save(os.path.join(d, "half_out32.npy"), x32.astype(np.float16).view(np.uint16))
    np.save(os.path.join(d, "half_in64.npy"), x64)
    np.save(os.path.join(d, "half_out64.npy"), x64.astype(np.float16).view(np.uint16))
print("\n".join(bad))
sys.exit(1 if bad else 0)
"""#

    @Test func numpyReadsOurFilesAndWeReadTheirs() throws {
        let env = URL(fileURLWithPath: "/usr/bin/env")
        let probe = try? runCommand(env, ["python3", "-c", "import numpy"])
        guard let probe, probe.status == 0 else {
            Issue.record("""
                this test needs python3 with NumPy to cross-check the .npy reader and writer: \
                install them (e.g. `pip install numpy`) and run again. \(probe?.stderr ?? "python3 not found")
                """)
            return
        }
        let directory = try tensorScratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var index = 0
        for dtype in Tensor.DType.allCases {
            for shape in sampleShapes {
                let path = directory.appendingPathComponent("ours_\(index)_\(dtype).npy").path
                try NPY.write(sampleTensor(dtype, shape: shape, seed: UInt64(100 + index)), to: path)
                index += 1
            }
        }
        let result = try runCommand(env, ["python3", "-c", Self.script, directory.path])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")

        let names = ["f8", "f4", "f4be", "f8fortran", "i8be", "u2fortran", "u1image", "b1", "i1", "scalar", "empty", "v2"]
        for name in names {
            let theirs = try NPY.read(path: directory.appendingPathComponent("theirs_\(name).npy").path)
            let canonicalPath = directory.appendingPathComponent("canon_\(name).npy").path
            let canonical = try NPY.read(path: canonicalPath)
            #expect(theirs.isIdentical(to: canonical), "\(name)")
            #expect(NPY.encode(theirs) == [UInt8](try Data(contentsOf: URL(fileURLWithPath: canonicalPath))), "\(name)")
        }

        for width in ["32", "64"] {
            let input = try NPY.read(path: directory.appendingPathComponent("half_in\(width).npy").path)
            guard case let .uint16(expected) = try NPY.read(path: directory.appendingPathComponent("half_out\(width).npy").path).storage
            else { Issue.record("half_out\(width) is not uint16"); continue }
            let ours: [UInt16]
            switch input.storage {
            case let .float32(v): ours = v.map { HalfPrecision.float16Bits($0) }
            case let .float64(v): ours = v.map { HalfPrecision.float16Bits($0) }
            default: ours = []
            }
            let mismatches = zip(ours, expected).filter { $0 != $1 }.count
            #expect(ours.count == expected.count && mismatches == 0, "float\(width) -> float16: \(mismatches) mismatches")
        }
    }
}
