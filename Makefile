# moehls: the two commands of the README, plus helpers.
#   make demo   set up, build, and run moehls on the M3ViT example (check, devices, golden model)
#   make test   set up, build, and run the whole test suite
SWIFT ?= swift
RELEASE_BIN = .build/release/moehls

.PHONY: demo test setup build release bench clean

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

test: setup
	$(SWIFT) test -c release

clean:
	rm -rf .build
