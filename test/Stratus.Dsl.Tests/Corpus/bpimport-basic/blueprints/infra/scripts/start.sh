#!/bin/bash
ctx logger info "infra start"
