#!/bin/bash
ctx logger info "network setup"
