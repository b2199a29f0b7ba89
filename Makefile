# The two commands of the README: `make up STACK=lxc` and `make test`. Both set up a fresh machine.
SHELL := /bin/bash
STACK ?= lxc
ENV := . scripts/env.sh &&

.PHONY: setup up preview destroy output test test-unit test-e2e acceptance

setup:
	bash scripts/setup.sh

up: setup
	$(ENV) npx ts-node scripts/stack.ts up $(STACK)

preview: setup
	$(ENV) npx ts-node scripts/stack.ts preview $(STACK) --expect-no-changes

destroy: setup
	$(ENV) npx ts-node scripts/stack.ts destroy $(STACK)

output: setup
	$(ENV) pulumi stack output --stack $(STACK) --json

test: setup
	$(ENV) npx tsc -p tsconfig.json --noEmit
	$(ENV) npm run --silent lint
	$(ENV) npm run --silent format:check
	$(ENV) npm run --silent test

test-unit: setup
	$(ENV) npm run --silent test:unit

# Every committed stack file as typed: up, no-change preview, destroy, leftovers (not in make test).
# STACKS="lxc kvm" picks some; VIA=cli drives the plain pulumi CLI instead of the Automation API.
acceptance: setup
	$(ENV) npx ts-node scripts/acceptance.ts $(if $(filter cli,$(VIA)),--cli) $(STACKS)
