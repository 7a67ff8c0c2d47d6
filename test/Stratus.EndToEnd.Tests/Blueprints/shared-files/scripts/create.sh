#!/bin/bash
set -e
echo "created v1" >> "$record"
