"""Files in, clean documents out: decoding, HTML text, page furniture, metadata, exact offsets."""
