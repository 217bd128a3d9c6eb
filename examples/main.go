// Command examples serves the example protocols with every subcommand of
// modelcheck: go run . list, go run . check lease, …
package main

import (
	"os"

	"github.com/distsys/distsys/cli"
	"github.com/distsys/distsys/examples/lease"
)

func main() { os.Exit(cli.Main(os.Args[1:], lease.Entry())) }
