#!/bin/bash
ctx logger info "about to give up"
ctx abort-operation "deliberate failure for the test"
