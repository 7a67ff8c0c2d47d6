#!/bin/bash
ctx logger info "infra create"
ctx instance runtime-properties created true
