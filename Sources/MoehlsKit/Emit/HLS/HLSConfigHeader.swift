/// `hls/include/moehls_config.h`: the model and hardware constants and the ap_fixed types of an
/// `HLSConfiguration`, the only numbers the kernel templates use.
enum HLSConfigHeader {
    /// Image sizes in bus words, known once the images are packed.
    struct ImageWords {
        var weights: Int
        var input: Int
        var output: Int
    }

    static func render(_ c: HLSConfiguration, words: ImageWords, comment: String) -> String {
        let p = c.precision
        var h = CppWriter(comment: comment, guardName: "MOEHLS_CONFIG_H", includes: ["<ap_fixed.h>", "<ap_int.h>"])

        h.section("Model")
        h.constant("TOKENS", c.tokens, "tokens per image")
        h.constant("EMBED_DIM", c.embedDim, "token width D")
        h.constant("HEADS", c.heads)
        h.constant("HEAD_DIM", c.headDim, "D / HEADS")
        h.constant("LAYERS", c.layers)
        h.constant("TASKS", c.tasks, "gates per MoE layer (1 without MoE)")
        h.constant("EXPERTS", c.experts, "experts per MoE layer (1 without MoE)")
        h.constant("TOP_K", c.topK, "experts chosen per token (1 without MoE)")
        h.constant("GATE_SOFTMAX_ALL", c.softmaxAll ? "true" : "false", type: "bool",
                   "gate scores: softmax over all experts (else over the k chosen)")
        h.constant("PATCHES", c.patches, "patch rows (1 for attention blocks)")
        h.constant("PATCHES_ACROSS", c.patchesAcross)
        h.constant("PATCH_SIZE", c.patchSize)
        h.constant("PATCH_COLS", c.patchColumns, "C * P * P")
        h.constant("IMAGE_HEIGHT", c.imageHeight)
        h.constant("IMAGE_WIDTH", c.imageWidth)
        h.constant("IMAGE_CHANNELS", c.imageChannels)

        h.section("Formats (docs/numerics.md); raw values are value * 2^FB")
        h.typedef("act_t", p.activation.cppType, "activation")
        h.typedef("acc_t", p.accumulator.cppType, "accumulator (AP_WRAP: the accumulation rule)")
        h.typedef("weight_t", p.weight.cppType, "linear weights")
        h.typedef("pweight_t", (c.kind == .attention ? p.weight : p.patchWeight).cppType, "patch-embedding weights")
        h.typedef("slab_t", c.slab.cppType, "engine weights: holds weight_t and pweight_t exactly")
        h.typedef("bias_t", p.bias.cppType, "biases")
        h.typedef("ln_t", p.layerNorm.cppType, "LayerNorm gamma and beta")
        h.typedef("pixel_t", p.pixel.cppType, "input pixels")
        h.typedef("wide_t", c.wide.cppType, "attention value sums: the accumulator + ATT_GUARD bits")
        h.constant("ACT_W", p.activation.width, "activation width")
        h.constant("ACT_FB", p.activation.fractionBits, "activation fraction bits")
        h.constant("WIDE_W", c.wide.width)
        h.constant("WIDE_FB", c.wide.fractionBits)
        h.constant("ATT_GUARD", c.attentionGuard, "ceil(log2 TOKENS)")

        h.section("Storage in the images: width rounded up to 8/16/32/64 bits")
        h.constant("ACT_BITS", c.activationStorageBits)
        h.constant("WEIGHT_BITS", HLSConfiguration.storageBits(p.weight))
        h.constant("PWEIGHT_BITS", HLSConfiguration.storageBits(c.kind == .attention ? p.weight : p.patchWeight))
        h.constant("BIAS_BITS", HLSConfiguration.storageBits(p.bias))
        h.constant("LN_BITS", HLSConfiguration.storageBits(p.layerNorm))
        h.constant("PIXEL_BITS", HLSConfiguration.storageBits(p.pixel))
        h.typedef("act_field_t", "ap_int<\(c.activationStorageBits)>", "an activation sign-extended to ACT_BITS")

        h.section("Nonlinear units (moehls_units.h)")
        h.constant("EXP_VALUE_BITS", Exp2Unit.outputFractionBits + 1, "exp values: [0, 1] in units of 2^-23")
        h.constant("EXP_FB", Exp2Unit.outputFractionBits)
        h.typedef("exp_value_t", "ap_uint<EXP_VALUE_BITS>", "raw exp value")
        h.typedef("exp_fixed_t", "ap_ufixed<EXP_VALUE_BITS, 1>", "the same bits as a fixed-point value")
        h.constant("EXP_SUM_BITS", Exp2Unit.outputFractionBits + 2 + c.attentionGuard, "attention row sums (<= TOKENS)")
        h.typedef("exp_sum_t", "ap_uint<EXP_SUM_BITS>")
        h.constant("GATE_GUARD", c.gateGuard, "ceil(log2 experts in the gate's softmax)")
        h.constant("GATE_SUM_BITS", Exp2Unit.outputFractionBits + 2 + c.gateGuard)
        h.typedef("gate_sum_t", "ap_uint<GATE_SUM_BITS>")
        h.constant("MANTISSA_FB", ReciprocalUnit.mantissaFractionBits, "reciprocal and 1/sqrt mantissas: units of 2^-24")
        h.constant("MANTISSA_BITS", ReciprocalUnit.mantissaFractionBits + 1)
        h.typedef("mantissa_t", "ap_uint<MANTISSA_BITS>")
        h.constant("GELU_ALIGN", c.geluAlign, "22 - accumulator fraction bits: |x| to 22 fraction bits")
        h.constant("GELU_FB", c.geluFractionBits, "fraction bits of relu(x) - delta")
        h.constant("GELU_EXACT_BITS", c.geluExactBits)

        h.section("Attention scale: SCALE_RAW * 2^-SCALE_FB")
        h.constant("SCALE_BITS", c.scaleBits)
        h.constant("SCALE_FB", c.scaleFractionBits)
        h.constant("SCALE_RAW", "\(c.scaleRaw)LL", type: "long long")
        h.typedef("scale_t", "ap_ufixed<SCALE_BITS, SCALE_BITS - SCALE_FB>")

        h.section("LayerNorm: sums, variance, eps (units of 2^-2 ACT_FB), 1/sqrt exponent range")
        let sumBits = p.activation.width + HLSConfiguration.counterBits(c.embedDim) + 1
        h.typedef("ln_sum_t", "ap_int<\(sumBits)>", "sum of x")
        h.typedef("ln_square_sum_t", "ap_int<\(sumBits + p.activation.width)>", "sum of x^2")
        h.constant("LN_VARIANCE_W", c.layerNormVarianceWidth)
        h.typedef("ln_variance_t", "ap_int<LN_VARIANCE_W + 1>")
        h.constant("LN_EPS_RAW", "\(c.layerNormEpsRaw)LL", type: "long long")
        h.constant("LN_H_MIN", c.layerNormExponentRange.lowerBound)
        h.constant("LN_H_MAX", c.layerNormExponentRange.upperBound)

        h.section("Design point: \(c.design)\(c.designIsDefault ? " (default: no design given)" : "")")
        h.constant("LIN_T_IN", c.design.linear.tIn, "T_in: input features per cycle and lane")
        h.constant("LIN_T_OUT", c.design.linear.tOut, "T_out: output features per pass")
        h.constant("LIN_LANES", c.design.linear.lanes, "N_L: tokens side by side")
        h.constant("LIN_MAX_IN", c.slabColumns, "weight slab columns")
        h.constant("LIN_MAX_IN_BLOCKS", c.slabColumns / c.design.linear.tIn)
        h.constant("LIN_MAX_OUT_BLOCKS", c.maxOutputBlocks)
        h.constant("LIN_MAX_GROUPS", c.maxTokenGroups)
        h.constant("WEIGHT_PORTS", c.design.weightPorts.channels, "m_axi weight bundles (\(c.design.weightPorts))")
        h.constant("LIN_ROWS_PER_PORT", c.slabRowsPerPort)
        h.constant("ATT_TA", c.design.attention.tA, "T_a: head elements per cycle")
        h.constant("ATT_ROWS", c.design.attention.rows, "N_a: query rows on chip")
        h.constant("ATT_ROW_BLOCKS", c.attentionRowBlocks)
        h.constant("HEAD_CHUNKS", c.headChunks, "HEAD_DIM / ATT_TA")
        h.constant("LN_LANES", c.design.layerNormLanes, "LayerNorm features per cycle")
        h.constant("LN_BLOCKS", c.layerNormBlocks)

        h.section("On-chip activation memory")
        h.constant("ACT_BUFFERS", 3, "buffers A, B, C")
        h.constant("MAX_TOKENS", c.maxTokens, "rows: tokens rounded up to LIN_LANES")
        h.constant("MAX_WIDTH", c.maxWidth, "columns: widest activation rounded up to ACT_BANKS")
        h.constant("ACT_BANKS", c.activationBanks, "lcm(T_in, T_out, T_a, LN lanes): cyclic banks per row")
        h.typedef("expert_id_t", "ap_uint<\(HLSConfiguration.counterBits(c.experts))>")
        h.typedef("token_id_t", "ap_uint<\(HLSConfiguration.counterBits(c.maxTokens))>")
        h.typedef("token_count_t", "ap_uint<\(HLSConfiguration.counterBits(c.maxTokens))>")

        h.section("Images and bus")
        h.constant("BUS_BITS", c.busBits, "one m_axi word")
        h.typedef("bus_t", "ap_uint<BUS_BITS>")
        h.constant("ACT_PER_WORD", c.activationsPerWord)
        h.constant("WEIGHT_WORDS", words.weights, "weights/weights.bin")
        h.constant("INPUT_WORDS", words.input, "input image (tb/data/input.bin)")
        h.constant("OUTPUT_WORDS", words.output, "output image (tb/data/expected.bin)")
        h.constant("STORE_MAX_WORDS", c.storeMaxWords)
        return h.text
    }
}
