module github.com/distsys/distsys/examples

go 1.26

replace github.com/distsys/distsys => ../

require github.com/distsys/distsys v0.0.0-00010101000000-000000000000

require (
	github.com/anishathalye/porcupine v1.3.1 // indirect
	github.com/google/go-cmp v0.7.0 // indirect
	pgregory.net/rapid v1.3.0 // indirect
)
