#!/usr/bin/env python
"""Write the labelled set of Thai search: documents.jsonl, queries.jsonl and letters.jsonl beside this file.

    bench/search_set/make_set.py        (deterministic: the same files every run)

Every document is a complaint written as Thai is written, without spaces between words,
composed from the sentences below, each a list of words ("|" between them, "_" a space).
Because the script knows the words, it knows the truth: a query word is in a document
when the document has it as a word or as a part of a compound (น้ำท่วม has น้ำ and ท่วม),
and not when its letters only appear inside another word (ตา in ตาม, เสีย in เสียง), inside
a proper name (ใหม่ in เชียงใหม่, ชาย in สมชาย) or across two words. README.md says why.

The script refuses to write a set whose truth it cannot vouch for: every word whose letters
hold a query word must say whether that query word is a part of it (``PARTS``) or only its
spelling (``SPELLING``, ``NAMES``).
"""

from __future__ import annotations

import json
import random
import re
import sys
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = 16
DOCUMENTS = 400
LETTERS = 8

THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
ARABIC_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
SPACE = "_"

# --- The words ---------------------------------------------------------------------------

# Compounds, split into the words they are made of (in order). Their parts count: a search
# for ท่วม should find น้ำท่วม, for บ้าน ชาวบ้าน, for น้ำ แม่น้ำ and ลูกน้ำ. Parts may be compounds.
PARTS: dict[str, list[str]] = {
    "น้ำท่วม": ["น้ำ", "ท่วม"],
    "ไฟไหม้": ["ไฟ", "ไหม้"],
    "น้ำเสีย": ["น้ำ", "เสีย"],
    "เสียงดัง": ["เสียง", "ดัง"],
    "กลิ่นเหม็น": ["กลิ่น", "เหม็น"],
    "ไฟฟ้าดับ": ["ไฟฟ้า", "ดับ"],
    "ไฟฟ้า": ["ไฟ", "ฟ้า"],
    "รถชน": ["รถ", "ชน"],
    "ขยะมูลฝอย": ["ขยะ", "มูลฝอย"],
    "ยาเสพติด": ["ยา", "เสพติด"],
    "ยาบ้า": ["ยา", "บ้า"],
    "ชาวบ้าน": ["ชาว", "บ้าน"],
    "ชาวนา": ["ชาว", "นา"],
    "ชาวประมง": ["ชาว", "ประมง"],
    "หมู่บ้าน": ["หมู่", "บ้าน"],
    "เพื่อนบ้าน": ["เพื่อน", "บ้าน"],
    "แม่บ้าน": ["แม่", "บ้าน"],
    "บ้านเรือน": ["บ้าน", "เรือน"],
    "บ้านเลขที่": ["บ้าน", "เลข", "ที่"],
    "ผู้ใหญ่บ้าน": ["ผู้ใหญ่", "บ้าน"],
    "ผู้ใหญ่": ["ผู้", "ใหญ่"],
    "แม่น้ำ": ["แม่", "น้ำ"],
    "ลูกน้ำ": ["ลูก", "น้ำ"],
    "น้ำมัน": ["น้ำ", "มัน"],
    "น้ำป่า": ["น้ำ", "ป่า"],
    "บ่อน้ำ": ["บ่อ", "น้ำ"],
    "เจ้าหน้าที่": ["เจ้า", "หน้าที่"],
    "หน้าที่": ["หน้า", "ที่"],
    "หน้าต่าง": ["หน้า", "ต่าง"],
    "บานประตู": ["บาน", "ประตู"],
    "ที่ดิน": ["ที่", "ดิน"],
    "ข้าวของ": ["ข้าว", "ของ"],
    "นาข้าว": ["นา", "ข้าว"],
    "ข่าวลือ": ["ข่าว", "ลือ"],
    "ขาดทุน": ["ขาด", "ทุน"],
    "ขาดแคลน": ["ขาด", "แคลน"],
    "เสียหาย": ["เสีย", "หาย"],
    "พอใจ": ["พอ", "ใจ"],
    "พ่อค้า": ["พ่อ", "ค้า"],
    "คืบหน้า": ["คืบ", "หน้า"],
    "ผ้าไหม": ["ผ้า", "ไหม"],
    "ผ้าห่ม": ["ผ้า", "ห่ม"],
    "ทองคำ": ["ทอง", "คำ"],
    "ต้นไม้": ["ต้น", "ไม้"],
    "ป่าไม้": ["ป่า", "ไม้"],
    "ม้านั่ง": ["ม้า", "นั่ง"],
    "ชายหาด": ["ชาย", "หาด"],
    "ดับเพลิง": ["ดับ", "เพลิง"],
    "เจ้าหนี้": ["เจ้า", "หนี้"],
    "กฎหมาย": ["กฎ", "หมาย"],
    "โรงพยาบาล": ["โรง", "พยาบาล"],
    "ลำคลอง": ["ลำ", "คลอง"],
    "รถโดยสาร": ["รถ", "โดยสาร"],
    "นางสาว": ["นาง", "สาว"],
    "เมืองเชียงใหม่": ["เมือง", "เชียงใหม่"],
    "เมืองนครราชสีมา": ["เมือง", "นครราชสีมา"],
    "เมืองหนองคาย": ["เมือง", "หนองคาย"],
    "เมืองขอนแก่น": ["เมือง", "ขอนแก่น"],
    "เมืองลำปาง": ["เมือง", "ลำปาง"],
    "นายอำเภอ": ["นาย", "อำเภอ"],
    "ต่อไป": ["ต่อ", "ไป"],
    "ได้รับ": ["ได้", "รับ"],
    "ทำให้": ["ทำ", "ให้"],
    "ผู้ร้อง": ["ผู้", "ร้อง"],
}

# Words whose letters hold a query word that is not a part of them: the trap a search
# that matches letters falls into. Each says what the word is.
SPELLING: dict[str, str] = {
    "ตาม": "ตาม 'follow', not ตา 'eye'",
    "ตาย": "ตาย 'die', not ตา",
    "มาก": "มาก 'much', not มา 'come'",
    "สามารถ": "สามารถ 'can', not มา",
    "ประมาณ": "ประมาณ 'about', not มา",
    "ทะเลาะ": "ทะเลาะ 'quarrel', not ทะเล 'sea'",
    "ปลาย": "ปลาย 'end', not ปลา 'fish'",
    "หมาย": "หมาย 'mark', not หมา 'dog'",
    "บ่อย": "บ่อย 'often', not บ่อ 'pond'",
    "ยาว": "ยาว 'long', not ยา 'medicine'",
    "ยาก": "ยาก 'difficult', not ยา",
    "ยาง": "ยาง 'rubber', not ยา",
    "ยาย": "ยาย 'grandmother', not ยา",
    "พยาบาล": "พยาบาล 'nurse', not ยา",
    "ขาย": "ขาย 'sell', not ขา 'leg'",
    "ขาด": "ขาด 'lack', not ขา",
    "ขาว": "ขาว 'white', not ขา",
    "นาย": "นาย 'Mr.', not นา 'rice field'",
    "นาง": "นาง 'Mrs.', not นา",
    "นาน": "นาน 'long (time)', not นา",
    "หนา": "หนา 'thick', not นา",
    "หนาว": "หนาว 'cold', not หนา 'thick' nor นา",
    "ทนาย": "ทนาย 'lawyer', not นา",
    "มีนาคม": "มีนาคม 'March', not นา",
    "คดี": "คดี 'lawsuit', not ดี 'good'",
    "เสียง": "เสียง 'sound', not เสีย 'broken'",
    "ปัญหา": "ปัญหา 'problem', not หา 'seek'",
    "หาย": "หาย 'lost', not หา",
    "ทอง": "ทอง 'gold', not ทอ 'weave'",
    "ไหม้": "ไหม้ 'burn', not ไหม 'silk' (the same letters and a tone mark)",
    "เก้าอี้": "เก้าอี้ 'chair' (a loan word), not เก้า 'nine'",
    "สมาชิก": "สมาชิก 'member', not มา",
    "มารดา": "มารดา 'mother', not มา",
    "ขนาด": "ขนาด 'size', not นา",
    "มิถุนายน": "มิถุนายน 'June', not นา",
    "หาด": "หาด 'beach', not หา",
    "หน้า": "หน้า 'front', not น้า 'uncle' (ห is its first letter)",
    "หมา": "หมา 'dog', not มา (ห is its first letter)",
    "เหมา": "เหมา 'contract for all', not หมา nor มา",
    "หยาบคาย": "หยาบคาย 'rude', not ยา",
    "อย่าง": "อย่าง 'as', not ย่า 'grandmother'",
}

# Proper names: a query word inside one is not in the document (ใหม่ is not in เชียงใหม่).
NAMES: set[str] = {
    "สมชาย", "ใจดี", "มานพ", "บุญมา", "สมศรี", "ทองดี", "วันเพ็ญ", "ทองมา", "ประเสริฐ", "แก้วมณี",
    "บุญเรือน", "ศรีสุข", "ชาตรี", "มีนา",
    "ช้างเผือก", "เชียงใหม่", "ในเมือง", "นครราชสีมา", "มีชัย", "หนองคาย", "คลองจั่น", "บางกะปิ",
    "กรุงเทพมหานคร", "ศิลา", "ขอนแก่น", "ตาคลี", "นครสวรรค์", "พระบาท", "ลำปาง", "ยายชา", "สามพราน",
    "นครปฐม", "ปากเกร็ด", "นนทบุรี",
}  # fmt: skip

# Words that carry no content of their own (particles, conjunctions, the letter's formulas):
# the share of a letter's words that search finds counts the others.
FUNCTION: set[str] = set(
    "ที่ และ ของ ใน ได้ ให้ ว่า จึง แต่ กับ แล้ว ไป มา เป็น มี ก็ จะ ซึ่ง โดย เพื่อ จาก ถึง อยู่ นี้ นั้น ด้วย "
    "อย่าง ยัง เมื่อ หรือ กัน คือ ต่อ ตั้งแต่ เนื่องจาก ขอ ความ การ ทุก หลาย จน กว่า เพราะ ถูก ไม่ ไว้ ขึ้น "
    "ต่อไป ได้รับ ทำให้ ด้วย เคย ต้อง ผู้ ไหม เรียน เรื่อง ขอแสดงความนับถือ ข้าพเจ้า ด้วยข้าพเจ้า "
    "วันที่ พ.ศ. โทร. นาย นาง นางสาว ตำบล อำเภอ จังหวัด แขวง เขต หมู่ที่ ครั้ง ตัว คน ปี ผ่าน โปรด".split()
)

# (title, first name, last name)
PEOPLE = [
    ("นาย", "สมชาย", "ใจดี"), ("นาย", "มานพ", "บุญมา"), ("นาง", "สมศรี", "ทองดี"), ("นางสาว", "วันเพ็ญ", "ทองมา"),
    ("นาย", "ประเสริฐ", "แก้วมณี"), ("นาง", "บุญเรือน", "ศรีสุข"), ("นาย", "ชาตรี", "มีนา"),
]  # fmt: skip
# (sub-district, district, province) as words; Bangkok says แขวง and เขต.
PLACES = [
    "ตำบล|ช้างเผือก|_|อำเภอ|เมืองเชียงใหม่|_|จังหวัด|เชียงใหม่",
    "ตำบล|ในเมือง|_|อำเภอ|เมืองนครราชสีมา|_|จังหวัด|นครราชสีมา",
    "ตำบล|มีชัย|_|อำเภอ|เมืองหนองคาย|_|จังหวัด|หนองคาย",
    "แขวง|คลองจั่น|_|เขต|บางกะปิ|_|กรุงเทพมหานคร",
    "ตำบล|ศิลา|_|อำเภอ|เมืองขอนแก่น|_|จังหวัด|ขอนแก่น",
    "ตำบล|ตาคลี|_|อำเภอ|ตาคลี|_|จังหวัด|นครสวรรค์",
    "ตำบล|พระบาท|_|อำเภอ|เมืองลำปาง|_|จังหวัด|ลำปาง",
    "ตำบล|ยายชา|_|อำเภอ|สามพราน|_|จังหวัด|นครปฐม",
    "ตำบล|ปากเกร็ด|_|อำเภอ|ปากเกร็ด|_|จังหวัด|นนทบุรี",
]
# Numbers as letters write them; a document writes all its numbers in Thai or in Arabic digits.
HOUSES = ["45/2", "145/2", "45/21", "12/3", "99", "7/1", "45/2"]
MONEY = ["1,500", "15,000", "11,500", "150,000", "2,500", "1,500", "15,000"]
YEARS = ["2567", "2566", "2568", "2567"]
PHONES = ["081-234-5678", "081 234 5678", "081-234-5679", "02-234-5678", "089-876-5432"]
NUMBERS = {"{HOUSE}": HOUSES, "{MONEY}": MONEY, "{YEAR}": YEARS, "{PHONE}": PHONES}

OPENINGS = [
    "ข้าพเจ้า|{NAME}|_|อยู่|บ้านเลขที่|_|{HOUSE}|_|{PLACE}|_|ขอ|ร้องเรียน|ว่า",
    "ข้าพเจ้า|{NAME}|_|โทร.|_|{PHONE}|_|ขอ|ร้องเรียน|เรื่อง|ที่|เกิด|ขึ้น|ใน|{PLACE}",
    "{NAME}|_|ชาว|{PLACE}|_|ขอ|ความ|ช่วยเหลือ",
    "ผู้ร้อง|แจ้ง|ว่า",
]
CLOSINGS = [
    "จึง|เรียน|มา|เพื่อ|โปรด|พิจารณา|ดำเนินการ|ต่อไป",
    "ขอ|ให้|หน่วยงาน|ที่|เกี่ยวข้อง|ตรวจสอบ|และ|แก้ไข|ปัญหา|โดย|ด่วน",
    "ขอ|ความ|กรุณา|ให้|ความ|ช่วยเหลือ|ด้วย",
    "หวัง|ว่า|จะ|ได้รับ|ความ|เป็นธรรม",
]
# With a number in them.
NUMBERED = [
    "กู้|เงิน|จำนวน|_|{MONEY}|_|บาท|แต่|ถูก|คิด|ดอกเบี้ย|สูง|เกิน|กว่า|ที่|กฎหมาย|กำหนด",
    "ต้อง|จ่าย|ค่า|ปรับ|_|{MONEY}|_|บาท|โดย|ไม่|ได้รับ|ใบเสร็จ",
    "ถูก|เรียก|เก็บ|เงิน|_|{MONEY}|_|บาท|เพื่อ|แลก|กับ|ใบอนุญาต",
    "เรื่อง|นี้|เกิด|ขึ้น|ตั้งแต่|ปี|_|{YEAR}|_|จน|ถึง|ปัจจุบัน",
    "ผู้ร้อง|เคย|ยื่น|เรื่อง|ไว้|เมื่อ|ปี|_|{YEAR}|_|แต่|ยัง|ไม่|ได้รับ|คำตอบ",
]
PROBLEMS = [
    "เมื่อ|คืน|ที่|ผ่าน|มา|เกิด|เหตุ|ไฟไหม้|บ้าน|ไม้|หลัง|เก่า|ของ|ป้า|ผู้ร้อง",
    "ชาวบ้าน|ร้องเรียน|ว่า|มี|ผู้|ลักลอบ|ตัด|ไม้|ใน|ป่า|สงวน|แห่งชาติ|ทุก|คืน",
    "ผู้ร้อง|ไม่|ได้รับ|ความ|เป็นธรรม|จาก|เจ้าหน้าที่|ที่ดิน",
    "ราคา|ข้าว|เปลือก|ตก|ต่ำ|ชาวนา|ขาดทุน|หนัก",
    "มี|ข่าว|ว่า|จะ|มี|การ|สร้าง|โรงงาน|ใกล้|แม่น้ำ|ใน|หมู่บ้าน",
    "โรงงาน|ปล่อย|น้ำเสีย|ลง|ลำคลอง|ทำให้|ปลา|ตาย|จำนวน|มาก",
    "โรงงาน|ส่ง|กลิ่นเหม็น|ไป|ทั่ว|ทั้ง|ตำบล",
    "เพื่อนบ้าน|เลี้ยง|สุนัข|หลาย|ตัว|เห่า|เสียงดัง|ทั้ง|กลางวัน|และ|กลางคืน",
    "ร้าน|คาราโอเกะ|เปิด|เพลง|เสียงดัง|จน|ถึง|ตี|สอง|ทุก|คืน",
    "ไฟฟ้าดับ|บ่อย|ครั้ง|ทำให้|เครื่องใช้|ไฟฟ้า|เสียหาย",
    "ถนน|ใน|หมู่บ้าน|ชำรุด|เป็น|หลุม|บ่อ|ขนาด|ใหญ่|เกิด|อุบัติเหตุ|รถชน|กัน|บ่อย",
    "ท่อ|ระบาย|น้ำ|อุดตัน|น้ำท่วม|ขัง|หน้า|บ้าน|ทุก|ครั้ง|ที่|ฝน|ตก",
    "มี|ยุง|ชุกชุม|พบ|ลูกน้ำ|ใน|ภาชนะ|ที่|มี|น้ำ|ขัง",
    "ถูก|เจ้าหนี้|นอก|ระบบ|ทวง|หนี้|ด้วย|วาจา|หยาบคาย|และ|ข่มขู่|ว่า|จะ|ทำร้าย",
    "ผู้ร้อง|ค้น|หา|เอกสาร|สิทธิ์|ที่ดิน|ของ|ปู่|ย่า|แต่|ไม่|พบ",
    "ญาติ|ของ|ผู้ร้อง|ถูก|ม้า|ของ|เพื่อนบ้าน|เตะ|จน|ขา|หัก",
    "นักเรียน|นั่ง|บน|ม้านั่ง|ที่|ชำรุด|จน|ได้รับ|บาดเจ็บ",
    "เก้าอี้|ใน|ศาลา|ประชาคม|หมู่บ้าน|ชำรุด|เสียหาย",
    "ผู้ร้อง|นัด|พบ|เจ้าหน้าที่|เวลา|เก้า|โมง|เช้า|แต่|รอ|นาน|กว่า|ห้า|ชั่วโมง",
    "ปัญหา|นี้|เกิด|ขึ้น|มา|นาน|หลาย|ปี|แล้ว",
    "ผู้ใหญ่บ้าน|และ|กำนัน|รับทราบ|ปัญหา|แล้ว|แต่|ไม่|ดำเนินการ",
    "ตำรวจ|ได้|จับกุม|ผู้|ค้า|ยาเสพติด|ใน|ชุมชน|แล้ว|แต่|ยัง|มี|การ|ซื้อ|ขาย|อยู่",
    "ค่า|เช่า|ที่|นา|เพิ่ม|ขึ้น|ทุก|ปี|จน|ชาวนา|ไม่|สามารถ|ทำ|นา|ได้",
    "ผู้ร้อง|ซื้อ|เสื่อ|และ|ผ้าห่ม|หนา|ให้|ผู้สูงอายุ|ใน|ช่วง|อากาศ|หนาว",
    "มี|ผู้|พบ|รอย|เท้า|เสือ|ใน|ป่า|ใกล้|หมู่บ้าน",
    "รถ|บรรทุก|ขนาด|ใหญ่|วิ่ง|ผ่าน|ทำให้|ถนน|เป็น|หลุม|และ|ฝุ่น|ฟุ้งกระจาย",
    "ผู้ร้อง|ไม่|พอใจ|ที่|ไม่|ได้รับ|เงิน|ชดเชย|ตาม|ที่|ตกลง|ไว้",
    "แม้|ว่า|จะ|ร้องเรียน|หลาย|ครั้ง|แต่|ก็|ยัง|ไม่|มี|การ|แก้ไข",
    "พ่อ|และ|แม่|ของ|ผู้ร้อง|อายุ|มาก|แล้ว|ไม่|มี|รายได้|พอ|เลี้ยงชีพ",
    "ป้า|ของ|ผู้ร้อง|ถูก|หลอก|ให้|ซื้อ|สร้อย|ทองคำ|ปลอม",
    "กลุ่ม|แม่บ้าน|ทอ|ผ้าไหม|ขาย|แต่|ถูก|พ่อค้า|คนกลาง|กด|ราคา",
    "รถ|กระบะ|สี|ขาว|ขับ|เร็ว|ผ่าน|หน้า|โรงเรียน|ทุก|เช้า",
    "ท่อ|ประปา|แตก|น้ำ|ไหล|ไม่|หยุด|ทำให้|ต้อง|เสีย|ค่า|น้ำ|สูง",
    "ต้นไม้|ริม|ถนน|ล้ม|ทับ|สาย|ไฟฟ้า",
    "ผู้ร้อง|ถูก|เสี่ย|เจ้าของ|โรงงาน|ไล่|ออก|โดย|ไม่|จ่าย|ค่า|ชดเชย",
    "น้ำป่า|ไหล|หลาก|ทำให้|นาข้าว|เสียหาย",
    "ลูก|ของ|ผู้ร้อง|ถูก|สุนัข|กัด|ที่|ขา|ระหว่าง|เดินทาง|กลับ|บ้าน",
    "ตา|ของ|ผู้ร้อง|อายุ|เก้า|สิบ|ปี|ตา|มอง|ไม่|เห็น|และ|ไม่|มี|ผู้|ดูแล",
    "ผู้ร้อง|ทะเลาะ|กับ|เพื่อนบ้าน|เรื่อง|แนว|เขต|ที่ดิน",
    "มี|การ|ถม|ชายหาด|และ|ทิ้ง|ขยะมูลฝอย|ลง|ทะเล",
    "ชาวประมง|จับ|ปลา|ไม่|ได้|เพราะ|มี|เรือ|อวน|ลาก|จาก|ที่|อื่น|เข้า|มา|ใน|เขต",
    "ที่|ปลาย|ซอย|มี|ผู้|ทิ้ง|ขยะ|และ|เผา|ขยะ|ส่ง|ควัน|ดำ",
    "สุนัข|จรจัด|และ|หมา|แมว|ถูก|นำ|มา|ปล่อย|ทิ้ง|ที่|วัด",
    "ผู้ร้อง|ขอ|ให้|นำ|ข้อ|กฎหมาย|มา|บังคับ|ใช้|อย่าง|จริงจัง",
    "บ้าน|ของ|ผู้ร้อง|อยู่|ไกล|จาก|ตัว|อำเภอ|และ|ไม่|มี|รถโดยสาร|ผ่าน",
    "หน้าต่าง|และ|บานประตู|ของ|บ้าน|ผู้ร้อง|แตก|เสียหาย",
    "เด็ก|ใน|หมู่บ้าน|ติด|ยาบ้า|และ|ก่อ|เหตุ|ลัก|ทรัพย์|บ่อย|ครั้ง",
    "ผู้ป่วย|ไม่|ได้รับ|ยา|จาก|โรงพยาบาล|ส่งเสริม|สุขภาพ|ตำบล",
    "ถนน|สาย|นี้|ยาว|กว่า|สาม|กิโลเมตร|แต่|ไม่|มี|ไฟ|ส่อง|สว่าง",
    "การ|ขอ|ใบอนุญาต|เป็น|เรื่อง|ยาก|และ|ใช้|เวลา|นาน",
    "มี|การ|ลักลอบ|กรีด|ยาง|ใน|สวน|ของ|ผู้ร้อง",
    "ผู้ร้อง|ได้รับ|แจ้ง|ว่า|บ้าน|ใหม่|ที่|ซื้อ|มา|สร้าง|ทับ|ทาง|สาธารณะ",
    "น้ำมัน|รั่ว|ไหล|จาก|ปั๊ม|ลง|บ่อน้ำ|ของ|ชุมชน",
    "ข่าวลือ|เรื่อง|เวนคืน|ที่ดิน|ทำให้|ชาวบ้าน|ตื่น|ตระหนก",
    "ผู้ร้อง|ขอ|ความ|ช่วยเหลือ|เรื่อง|ข้าวของ|ที่|เสียหาย|จาก|น้ำท่วม",
    "มี|ผู้|ขับ|รถ|ชน|เสา|ไฟฟ้า|หน้า|บ้าน|แล้ว|หลบหนี",
    "ผู้ร้อง|ถาม|ว่า|จะ|ได้รับ|เงิน|คืน|ไหม",
    "น้า|ของ|ผู้ร้อง|ถูก|หลอก|ไป|ทำงาน|ต่างประเทศ",
    "เจ้าหน้าที่|ดับเพลิง|มา|ถึง|ช้า|มาก",
    "มี|กลิ่น|ควัน|จาก|การ|เผา|ขยะ|ทุก|เย็น",
    "เสียง|เครื่องจักร|รบกวน|การ|พักผ่อน",
    "ฝน|ตก|หนัก|จน|น้ำ|ท่วม|ถนน|หน้า|โรงเรียน",
    "มี|ชาย|ไม่|ทราบ|ชื่อ|มา|ขโมย|ของ|ใน|บ้าน|ผู้ร้อง",
    "บาง|คน|ใน|หมู่บ้าน|ไม่|ได้รับ|เงิน|ช่วยเหลือ",
    "น้ำ|ประปา|ขาดแคลน|มา|หลาย|เดือน",
    "ผู้ร้อง|ต้องการ|ฟ้อง|คดี|แต่|ไม่|มี|เงิน|จ้าง|ทนาย",
    "ผู้ใหญ่บ้าน|ไม่|ปฏิบัติ|หน้าที่|ตาม|ที่|ควร",
    "ผู้ร้อง|แจ้ง|ความ|กับ|ตำรวจ|แล้ว|แต่|ไม่|มี|ความ|คืบหน้า",
    "กำนัน|ให้|สมาชิก|ในครอบครัว|รับ|เหมา|ก่อสร้าง|ถนน",
    "ผู้ร้อง|ดูแล|มารดา|ที่|ป่วย|ติด|เตียง|มา|นาน",
    "ค่า|ไฟฟ้า|เดือน|นี้|สูง|กว่า|ปกติ|ประมาณ|สาม|เท่า",
    "ยาย|ของ|ผู้ร้อง|ไม่|ได้รับ|เบี้ย|ยังชีพ|มา|สอง|เดือน",
]

# The query words: (word, kind, note). The kinds are what the report is broken down by.
QUERIES: list[tuple[str, str, str]] = [
    # Tone marks and vowels: pairs that differ by one mark.
    ("ไม้", "tone", "wood; ไม่ differs by the tone mark"),
    ("ไม่", "tone", "not; ไม้ differs by the tone mark"),
    ("ข้าว", "tone", "rice; ข่าว, ขาว"),
    ("ข่าว", "tone", "news; ข้าว, ขาว"),
    ("ขาว", "tone", "white; ข้าว, ข่าว"),
    ("ป่า", "tone", "forest; ป้า"),
    ("ป้า", "tone", "aunt; ป่า"),
    ("เสือ", "tone", "tiger; เสื่อ"),
    ("เสื่อ", "tone", "mat; เสือ"),
    ("หน้า", "tone", "front, face; หนา"),
    ("หนา", "tone", "thick; หน้า"),
    ("น้ำ", "tone", "water; นำ"),
    ("นำ", "tone", "lead; น้ำ"),
    ("บ้าน", "tone", "house; บาน"),
    ("บาน", "tone", "leaf of a door; บ้าน"),
    ("พ่อ", "tone", "father; พอ"),
    ("พอ", "tone", "enough; พ่อ"),
    ("แม่", "tone", "mother; แม้"),
    ("แม้", "tone", "even though; แม่"),
    ("เก่า", "tone", "old; เก้า"),
    ("เก้า", "tone", "nine; เก่า, and its letters in เก้าอี้ 'chair'"),
    ("ค่า", "tone", "fee; ค้า"),
    ("ค้า", "tone", "trade; ค่า"),
    ("ไหม้", "tone", "burn; ไหม, ใหม่"),
    ("ไหม", "tone", "silk, or a question; its letters begin ไหม้"),
    ("ใหม่", "tone", "new; ไหม, ไหม้, and inside เชียงใหม่"),
    ("นา", "tone", "rice field; น้า, and its letters in นาย, นาน, หนา, ทนาย, มีนาคม"),
    ("น้า", "tone", "uncle or aunt; นา"),
    ("ยา", "tone", "medicine; ย่า, and its letters in ยาว, ยาก, ยาง, ยาย, พยาบาล"),
    ("ย่า", "tone", "grandmother; ยา"),
    ("เสีย", "tone", "broken, to pay; เสี่ย, and its letters in เสียง"),
    ("เสี่ย", "tone", "tycoon; เสีย"),
    ("ท่อ", "tone", "pipe; ทอ"),
    ("ทอ", "tone", "weave; ท่อ, and its letters in ทอง"),
    ("ใกล้", "tone", "near; ไกล"),
    ("ไกล", "tone", "far; ใกล้"),
    ("ห้า", "tone", "five; หา"),
    ("หา", "tone", "seek; ห้า, and its letters in ปัญหา, หาย"),
    ("ม้า", "tone", "horse; มา"),
    ("มา", "tone", "come; ม้า, and its letters in มาก, สามารถ, names"),
    # A word whose letters begin or fill another word.
    ("ตา", "inside", "eye, grandfather; its letters in ตาม, ตาย, ตาคลี"),
    ("ตาม", "inside", "follow"),
    ("ตาย", "inside", "die"),
    ("มาก", "inside", "much"),
    ("ทะเล", "inside", "sea; its letters in ทะเลาะ"),
    ("ทะเลาะ", "inside", "quarrel"),
    ("ปลา", "inside", "fish; its letters in ปลาย"),
    ("ปลาย", "inside", "end"),
    ("หมา", "inside", "dog; its letters in กฎหมาย"),
    ("กฎหมาย", "inside", "law"),
    ("บ่อ", "inside", "pond; its letters in บ่อย"),
    ("บ่อย", "inside", "often"),
    ("ยาว", "inside", "long"),
    ("ยาก", "inside", "difficult"),
    ("ยาง", "inside", "rubber"),
    ("ขา", "inside", "leg; its letters in ขาย, ขาด, ขาว"),
    ("ขาย", "inside", "sell"),
    ("ขาด", "inside", "lack"),
    ("นาน", "inside", "a long time"),
    ("หนาว", "inside", "cold"),
    ("คดี", "inside", "lawsuit"),
    ("เสียง", "inside", "sound"),
    ("ชาย", "inside", "man, edge; its letters in the name สมชาย"),
    ("ทอง", "inside", "gold; its letters in the names ทองดี, ทองมา"),
    ("บาง", "inside", "some; its letters in the place บางกะปิ"),
    ("ไฟ", "inside", "fire; a part of ไฟไหม้, ไฟฟ้า"),
    # Compounds and their parts (the parts count).
    ("น้ำท่วม", "compound", "flood: น้ำ + ท่วม"),
    ("ท่วม", "compound", "a part of น้ำท่วม"),
    ("ไฟไหม้", "compound", "fire: ไฟ + ไหม้"),
    ("น้ำเสีย", "compound", "waste water: น้ำ + เสีย"),
    ("เสียงดัง", "compound", "noise: เสียง + ดัง"),
    ("ดัง", "compound", "loud; a part of เสียงดัง"),
    ("กลิ่นเหม็น", "compound", "stench: กลิ่น + เหม็น"),
    ("เหม็น", "compound", "a part of กลิ่นเหม็น"),
    ("ไฟฟ้า", "compound", "electricity: ไฟ + ฟ้า"),
    ("ไฟฟ้าดับ", "compound", "power cut: ไฟฟ้า + ดับ"),
    ("ดับ", "compound", "a part of ไฟฟ้าดับ, ดับเพลิง"),
    ("รถชน", "compound", "a crash: รถ + ชน"),
    ("ขยะมูลฝอย", "compound", "refuse: ขยะ + มูลฝอย"),
    ("ขยะ", "compound", "a part of ขยะมูลฝอย"),
    ("ยาเสพติด", "compound", "drugs: ยา + เสพติด"),
    ("ลูกน้ำ", "compound", "mosquito larvae: ลูก + น้ำ"),
    ("หน้าที่", "compound", "duty: หน้า + ที่; a part of เจ้าหน้าที่"),
    ("เจ้าหน้าที่", "compound", "officer"),
    # Names of people and places (their letters hold other words).
    ("สมชาย", "name", "a first name"),
    ("มานพ", "name", "a first name"),
    ("บุญมา", "name", "a surname"),
    ("ใจดี", "name", "a surname"),
    ("ทองดี", "name", "a surname"),
    ("สมศรี", "name", "a first name"),
    ("เชียงใหม่", "place", "a province"),
    ("นครราชสีมา", "place", "a province"),
    ("หนองคาย", "place", "a province"),
    ("บางกะปิ", "place", "a Bangkok district"),
    ("ขอนแก่น", "place", "a province"),
    ("ตาคลี", "place", "a district"),
    ("ลำปาง", "place", "a province"),
    ("สามพราน", "place", "a district"),
    ("ปากเกร็ด", "place", "a district"),
    # Numbers, in Arabic or Thai digits in the documents.
    ("1,500", "number", "an amount; not 11,500, 15,000 or 150,000"),
    ("15,000", "number", "an amount; not 150,000 or 1,500"),
    ("๒๕๖๗", "number", "a year typed in Thai digits; documents write 2567 or ๒๕๖๗"),
    ("45/2", "number", "a house number; not 145/2 or 45/21"),
    ("081-234-5678", "number", "a phone number; not 081-234-5679"),
    # Everyday words with ำ (OCR and some keyboards write ํา) and others.
    ("ตำรวจ", "word", "police"),
    ("กำนัน", "word", "sub-district headman"),
    ("ลำคลอง", "word", "canal"),
    ("ถนน", "word", "road"),
    ("หนี้", "word", "debt"),
    ("ที่ดิน", "word", "land"),
    ("โรงงาน", "word", "factory"),
    ("สุนัข", "word", "dog"),
    ("ยุง", "word", "mosquito"),
]


# --- The truth -------------------------------------------------------------------------------


@cache
def normalize(text: str) -> str:
    """Text as the truth compares it: NFC, Thai digits as Arabic, ํา as ำ, marks in one order."""
    from pythainlp.util import normalize as thai_normalize

    return thai_normalize(unicodedata.normalize("NFC", text).translate(ARABIC_DIGITS))


_NUMBER = re.compile(r"^[0-9๐-๙][0-9๐-๙,\- /.]*$")


def word_key(word: str) -> str:
    """A word as the truth compares it: a number by its digits and slashes (1,500 = ๑,๕๐๐)."""
    text = normalize(word)
    if _NUMBER.match(word):
        text = re.sub(r"(?<=\d)[,\- ](?=\d)", "", text)
    return text


def leaves(word: str) -> list[str]:
    """The simple words a word is made of, in order (itself when it is not a compound)."""
    if word in PARTS:
        return [leaf for part in PARTS[word] for leaf in leaves(part)]
    return [word]


def words_of(tokens: list[str]) -> list[str]:
    """The simple words of a document, spaces dropped, as keys."""
    return [word_key(leaf) for token in tokens if token != SPACE for leaf in leaves(token)]


def holds(words: list[str], query: str) -> bool:
    """Whether the document's simple ``words`` hold ``query`` (its simple words in a row)."""
    wanted = words_of([query])
    n = len(wanted)
    return any(words[i : i + n] == wanted for i in range(len(words) - n + 1))


def letters_where(tokens: list[str], query: str) -> tuple[str, str]:
    """Why a document that does not hold ``query`` may look as if it did: (kind, detail).
    Kinds: "name" (its letters inside a proper name, ใหม่ in เชียงใหม่), "spelling" (inside
    another word, ตา in ตาม), "across" (across two words, ตา|มอง), "apart" (a compound's
    parts, not in a row: หน้า ... ที่ for หน้าที่); ("", "") when none of these."""
    key = word_key(query)
    words = [leaf for token in tokens for leaf in (leaves(token) if token != SPACE else [" "])]
    for word in words:
        if key in word_key(word):
            return ("name" if word in NAMES else "spelling"), f"inside {word}"
    for a, b in zip(words, words[1:], strict=False):
        if key in word_key(a + b):
            return "across", f"across {a}|{b}"
    parts = words_of([query])
    if len(parts) > 1 and set(parts) <= set(words_of(tokens)):
        return "apart", f"{'+'.join(parts)} apart"
    return "", ""


def check_vocabulary(tokens: set[str]) -> list[str]:
    """Words whose letters hold a query word without saying whether it is a part of them."""
    problems = []
    queries = [normalize(q) for q, _kind, _note in QUERIES if not _NUMBER.match(q)]
    for token in sorted(tokens):
        if token == SPACE or _NUMBER.match(token):
            continue
        for leaf in leaves(token):
            text = normalize(leaf)
            for query in queries:
                if query != text and query in text and leaf not in SPELLING and leaf not in NAMES:
                    problems.append(
                        f"{leaf} (in {token}) holds the letters of {query}: add it to PARTS, SPELLING or NAMES"
                    )
    for word in PARTS:
        if "".join(PARTS[word]) != word:
            problems.append(f"PARTS[{word}] does not spell it: {PARTS[word]}")
    return problems


# --- Composing ------------------------------------------------------------------------------


@dataclass
class Composer:
    rng: random.Random

    def fill(self, template: str, *, digits: str, person=None, place=None) -> list[str]:
        """The words of a sentence with its slots filled."""
        tokens: list[str] = []
        for word in template.split("|"):
            if word == "{NAME}":
                title, first, last = person or self.rng.choice(PEOPLE)
                tokens += [title, first, SPACE, last]
            elif word == "{PLACE}":
                tokens += (place or self.rng.choice(PLACES)).split("|")
            elif word in NUMBERS:
                number = self.rng.choice(NUMBERS[word])
                tokens.append(number.translate(THAI_DIGITS) if digits == "thai" else number)
            else:
                tokens.append(word)
        return tokens

    def sentences(self, problems: int, *, digits: str, person=None, place=None, openings=OPENINGS) -> list[list[str]]:
        """An opening, ``problems`` sentences of what happened (one of them perhaps with a number), a closing."""
        chosen = [self.fill(self.rng.choice(openings), digits=digits, person=person, place=place)]
        picked = self.rng.sample(PROBLEMS, problems)
        if self.rng.random() < 0.4:
            picked[self.rng.randrange(len(picked))] = self.rng.choice(NUMBERED)
        chosen += [self.fill(t, digits=digits) for t in picked]
        chosen.append(self.fill(self.rng.choice(CLOSINGS), digits=digits))
        return chosen


def join(tokens: list[str]) -> str:
    return "".join(" " if t == SPACE else t for t in tokens)


def spell(text: str, variant: str) -> str:
    """The text as some keyboards and OCR write it: ำ as ํา, or a tone mark before its vowel."""
    if variant == "decomposed_am":
        return text.replace("ำ", "ํา")
    if variant == "tone_first":
        return re.sub("([ิ-ื])([่-๋])", r"\2\1", text)
    return text


def build_documents(rng: random.Random) -> list[dict]:
    composer = Composer(rng)
    documents = []
    for n in range(1, DOCUMENTS + 1):
        digits = "thai" if rng.random() < 0.3 else "arabic"
        sentences = composer.sentences(rng.choice((2, 2, 3, 3, 4)), digits=digits)
        tokens = [t for s in sentences for t in [*s, SPACE]][:-1]
        draw = rng.random()
        variant = "decomposed_am" if draw < 0.06 else "tone_first" if draw < 0.12 else ""
        documents.append({
            "id": f"d{n:03d}",
            # Half of them are a case's description, half the text of a scanned page on a case.
            "route": "description" if n % 2 else "page",
            "variant": variant,
            "digits": digits,
            "text": spell(" ".join(join(s) for s in sentences), variant),
            "tokens": tokens,
        })  # fmt: skip
    return documents


MONTHS = ["มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน"]


def build_letters(rng: random.Random) -> list[dict]:
    """Letters of complaint as people write them to the district chief: the address at the
    top right, the date, the subject, to whom, the body in paragraphs, the signature."""
    composer = Composer(rng)
    letters = []
    for n in range(1, LETTERS + 1):
        digits = "thai" if n % 2 == 0 else "arabic"
        person = PEOPLE[(n - 1) % len(PEOPLE)]
        place = PLACES[(n - 1) % len(PLACES)]
        place_tokens = place.split("|")
        district = place_tokens[place_tokens.index("อำเภอ") + 1] if "อำเภอ" in place_tokens else "บางกะปิ"
        house = composer.fill("{HOUSE}", digits=digits)
        year = composer.fill("{YEAR}", digits=digits)
        day = str(rng.randint(1, 28))
        day = day.translate(THAI_DIGITS) if digits == "thai" else day
        # A letter says who writes it.
        body = composer.sentences(14, digits=digits, person=person, place=place, openings=OPENINGS[:3])
        subject = body[1][:6]
        paragraphs = [
            {"align": "right", "tokens": ["บ้านเลขที่", SPACE, *house]},
            {"align": "right", "tokens": place_tokens},
            {
                "align": "right",
                "tokens": ["วันที่", SPACE, day, SPACE, MONTHS[n % len(MONTHS)], SPACE, "พ.ศ.", SPACE, *year],
            },
            {"align": "left", "tokens": ["เรื่อง", SPACE, SPACE, *subject]},
            {"align": "left", "tokens": ["เรียน", SPACE, SPACE, "นายอำเภอ", district]},
            {"align": "indent", "tokens": ["ด้วย", *[t for s in body[:4] for t in [*s, SPACE]][:-1]]},
            {"align": "indent", "tokens": [t for s in body[4:-1] for t in [*s, SPACE]][:-1]},
            {"align": "indent", "tokens": body[-1]},
            {"align": "center", "tokens": ["ขอแสดงความนับถือ"]},
            {"align": "center", "tokens": ["(", person[0], person[1], SPACE, person[2], ")"]},
        ]
        letters.append({"id": f"L{n:02d}", "digits": digits, "paragraphs": paragraphs})
    return letters


def content_words(tokens: list[str]) -> list[str]:
    """The distinct words of a text a user could search it by: not particles, spaces or punctuation."""
    seen = []
    for token in tokens:
        if token in (SPACE, "(", ")") or token in FUNCTION or token in seen:
            continue
        seen.append(token)
    return seen


def build_queries(documents: list[dict]) -> list[dict]:
    words = {d["id"]: words_of(d["tokens"]) for d in documents}
    flat = {d["id"]: normalize(d["text"]) for d in documents}
    queries = []
    for query, kind, note in QUERIES:
        found = [d["id"] for d in documents if holds(words[d["id"]], query)]
        key = normalize(query)
        # The documents that hold its letters but not the word: where a search by letters goes wrong.
        letters_only = [i for i in flat if i not in found and key in flat[i]]
        queries.append({"query": query, "kind": kind, "note": note, "found_in": found, "letters_only": letters_only})
    return queries


def build() -> tuple[list[dict], list[dict], list[dict]]:
    rng = random.Random(SEED)
    documents = build_documents(rng)
    letters = build_letters(rng)
    tokens = {t for d in documents for t in d["tokens"]}
    tokens |= {t for letter in letters for p in letter["paragraphs"] for t in p["tokens"]}
    if problems := check_vocabulary(tokens):
        raise SystemExit("the truth is not certain:\n  " + "\n  ".join(problems))
    queries = build_queries(documents)
    for letter in letters:
        letter["content_words"] = content_words([t for p in letter["paragraphs"] for t in p["tokens"]])
    return documents, queries, letters


def write(name: str, rows: list[dict]) -> None:
    """One JSON object a line; a document's words stay in the script (``build()`` gives them)."""
    rows = [{k: v for k, v in row.items() if k != "tokens"} for row in rows]
    text = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    (HERE / name).write_text(text, encoding="utf-8")


def main() -> int:
    documents, queries, letters = build()
    write("documents.jsonl", documents)
    write("queries.jsonl", queries)
    write("letters.jsonl", letters)
    kinds = Counter(q["kind"] for q in queries)
    print(f"{len(documents)} documents, {len(queries)} queries ({dict(kinds)}), {len(letters)} letters")
    for q in queries:
        if len(q["found_in"]) < 3:
            print(f"  few documents hold {q['query']}: {len(q['found_in'])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
