#!/bin/bash
ctx logger info refresh
