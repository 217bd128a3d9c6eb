package main

import "syscall"

// childAttr makes a node started by kvnode cluster get SIGTERM if the
// launcher dies, so that no node outlives it.
func childAttr() *syscall.SysProcAttr { return &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM} }
