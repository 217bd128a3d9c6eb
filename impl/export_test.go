package impl

// SetCompactAt sets the file size past which d compacts.
func SetCompactAt[S any](d *DiskStore[S], n int64) { d.compactAt = n }
