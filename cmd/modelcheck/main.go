// Command modelcheck lists, checks, replays, draws and runs the protocols
// of distsys.
//
//	modelcheck list [-json]
//	modelcheck check PROTOCOL [flags]     (modelcheck check PROTOCOL -h lists them)
//	modelcheck replay TRACE [-json]
//	modelcheck hierarchy [-json] [-trace-dir DIR]
//	modelcheck viz TRACE [-format text|mermaid|html] [-o FILE]
//	modelcheck run PROTOCOL [flags]
//
// Exit codes: 0 ok, 1 a property is violated, 2 usage or input error,
// 3 incomplete (a bound stopped the check before it could conclude).
//
// The command is package cli's Main over the course's protocols; a
// protocol of one's own gets the same command from its own main (see
// docs/API.md and docs/tutorial.md).
package main

import (
	"os"

	"github.com/distsys/distsys/cli"
)

func main() { os.Exit(cli.Main(os.Args[1:], cli.Course()...)) }
