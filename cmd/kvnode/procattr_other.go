//go:build !linux

package main

import "syscall"

// childAttr: outside Linux a node does not learn that its launcher died.
func childAttr() *syscall.SysProcAttr { return nil }
