# moehls: the two commands of the README, plus helpers.
#   make demo   set up, build, and run moehls on the M3ViT example: check, devices, golden model,
#               generate a ZCU102 project and verify it (C simulation of one image and RTL
#               simulation of one MoE layer's kernel invocations, bit-exact)
#   make test   set up, build, and run the whole test suite
SWIFT ?= swift
RELEASE_BIN = .build/release/moehls

.PHONY: demo test setup build release bench clean generated

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
