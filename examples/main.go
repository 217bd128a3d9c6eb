// This main serves the lock service with every subcommand of modelcheck:
// go run . list, go run . check lease, go run . run lease, …
package main

import (
	"os"

	"github.com/distsys/distsys/cli"

	"github.com/distsys/distsys/examples/lease"
)

func main() { os.Exit(cli.Main(os.Args[1:], lease.Entry())) }
