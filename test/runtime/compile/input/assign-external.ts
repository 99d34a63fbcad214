count = count + 1
