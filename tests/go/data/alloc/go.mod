module example.com/alloc

go 1.24
