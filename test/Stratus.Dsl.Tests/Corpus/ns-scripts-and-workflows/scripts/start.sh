#!/bin/bash
ctx logger info start
