# moehls: the two commands of the README, plus helpers.
#   make demo   set up, build, and run moehls on the M3ViT example: check, devices, golden model,
#               generate a ZCU102 project and verify it (C simulation of one image and RTL
#               simulation of one MoE layer's kernel invocations, bit-exact)
#   make test   set up, build, and run the whole test suite
SWIFT ?= swift
RELEASE_BIN = .build/release/moehls

.PHONY: demo test test-fast help-snapshots setup build release bench clean generated

setup:
	@scripts/setup.sh

build:
	$(SWIFT) build

release:
	$(SWIFT) build -c release

demo: setup release
	@echo '$$ moehls check Examples/m3vit.yaml'
	@$(RELEASE_BIN) check Examples/m3vit.yaml
	@echo
	@echo '$$ moehls devices'
	@$(RELEASE_BIN) devices
	@echo
	@echo '$$ moehls run Examples/m3vit.yaml --seed 1'
	@$(RELEASE_BIN) run Examples/m3vit.yaml --seed 1
	@echo
	@echo '$$ moehls generate Examples/m3vit.yaml --device zcu102 -o out/m3vit-zcu102'
	@$(RELEASE_BIN) generate Examples/m3vit.yaml --device zcu102 -o out/m3vit-zcu102
	@echo
	@echo '$$ moehls verify out/m3vit-zcu102'
	@$(RELEASE_BIN) verify out/m3vit-zcu102

test: setup
	$(SWIFT) test -c release

# The unit and reference tiers alone: everything that needs no external tool (tests tagged
# .simulation are skipped by name; Tests/MoehlsKitTests/Support/Repository.swift defines the tags).
FAST_SKIP = RTL|HLSCSimulationTests|GeneratedCompileTests|HLSSlowTests|FixedPointOracleTests|TensorIONumpyCrossCheckTests|runPrintsTheDriftAndDumpsFilesNumPyLoads|alveoHostProgramPassesThroughVerify
test-fast:
	$(SWIFT) test -c release --skip '$(FAST_SKIP)'

# Rewrites the --help snapshots (Tests/MoehlsKitTests/Fixtures/help) after an intended change.
HELP_COMMANDS = check devices run search generate verify report bench bench-golden bench-search bench-sim
help-snapshots: release
	COLUMNS=80 $(RELEASE_BIN) --help > Tests/MoehlsKitTests/Fixtures/help/moehls.txt
	for c in $(HELP_COMMANDS); do COLUMNS=80 $(RELEASE_BIN) $$(echo $$c | tr - ' ') --help > Tests/MoehlsKitTests/Fixtures/help/$$c.txt; done

# Benchmarks (release build): golden model, search, RTL simulation of full-size shapes.
bench: release
	$(RELEASE_BIN) bench golden Examples/m3vit.yaml --runs 3
	$(RELEASE_BIN) bench search
	$(RELEASE_BIN) bench sim Examples/m3vit.yaml --device zcu102

clean:
	rm -rf .build

# Regenerate the committed reference output (tests compare it byte for byte).
generated: release
	$(RELEASE_BIN) generate Examples/m3vit.yaml --device zcu102 --clock 300 -o Generated/m3vit-zcu102 --omit-data
	$(RELEASE_BIN) generate Examples/m3vit.yaml --device u280 --clock 200 -o Generated/m3vit-u280 --omit-data
