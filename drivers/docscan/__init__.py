"""The document camera (高拍仪): find the paper in the picture, straighten it, make it legible.

Citizens lay papers under the camera for 自助申报; what is submitted must look like a scan,
not like a photo of a desk. The pure image steps (:mod:`page`, :mod:`enhance`) are
separate from the camera (:mod:`capture`) so they are tested on generated photos.
"""
