module github.com/distsys/distsys

go 1.26
