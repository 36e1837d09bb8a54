from kiosk.pin import hash_pin, verify_pin


def test_pin_round_trip_and_rejections():
    encoded = hash_pin("246810", iterations=1000)
    assert verify_pin("246810", encoded)
    assert not verify_pin("246811", encoded)
    assert "246810" not in encoded
    assert not verify_pin("246810", "garbage")
    assert not verify_pin("246810", "md5$1$YQ==$YQ==")


def test_salt_makes_hashes_differ():
    assert hash_pin("1234", iterations=1000) != hash_pin("1234", iterations=1000)
