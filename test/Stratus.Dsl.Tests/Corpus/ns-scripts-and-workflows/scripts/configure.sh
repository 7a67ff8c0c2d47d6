#!/bin/bash
ctx logger info configure
