"""Generate many realistic complaints quickly on PostgreSQL, for the benchmarks in bench/.

    manage.py generate_bench_data 100000 [--seed 2569] [--batch 20000]

What it writes, per case: the complaint (Thai subject and description recombined from the demo
stories and per-category fragments, a running number continued from cases_runningnumber, a fresh
26-character tracking code, due_on from the category, the search document), its complainant and
respondent, the timeline (CaseEvent per step, with actors and times), simple-history rows of the
complaint (one per step: the intake row and each transition, the action as change reason), the
progress reports and forwardings its steps imply, and its viewflow process with one task per
human step (DONE, owned by whoever did the step) plus the open task its state implies (NEW, with
jurisdiction, queue and due time as workflows.engine stamps them; some claimed by an officer).
viewflow's own bookkeeping tasks (start, the routing switches, end) are not written: no inbox,
no check and no page reads them. Officers (district officers and head per district, a province
officer and head per province) and one or two sub-district teams per district are created once
and reused.

Rows go in with COPY, one transaction per batch, ids drawn from each table's own sequence (so
later ORM inserts never collide). Running the command again adds more cases: the running numbers
continue. While a batch is copied into PostgreSQL the next one is generated (--serial turns that
off). Foreign-key triggers are skipped for the loading session (session_replication_role) when
the database user may; the rows are consistent by construction.
"""

from __future__ import annotations

import bisect
import datetime as dt
import io
import json
import math
import queue
import random
import threading
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from viewflow.workflow.models import Process

from cases.codes import ALPHABET, LENGTH
from cases.demo import STORIES
from cases.models import Category, Complaint, Outcome, RunningNumber, Status, Team, TeamMembership
from cases.search import normalize
from core.models import District, Province, Subdistrict, User
from core.roles import Role, ScopeLevel
from core.thai import fiscal_year_be, fiscal_year_start, make_national_id
from workflows import engine
from workflows.flows import STATE_TASKS, CaseFlow
from workflows.models import CaseTask

# --- Thai text ----------------------------------------------------------------------------

FIRST_NAMES_M = (
    "สมชาย สมศักดิ์ ประยุทธ สุชาติ วิชัย ประเสริฐ บุญมี สมพงษ์ ชัยวัฒน์ ธนากร อนุชา ณัฐพล กิตติศักดิ์ วีระ สุรชัย "
    "ทองคำ บุญเลิศ อำนาจ ประยูร มานพ สมบัติ เกรียงไกร พิชิต ศักดิ์ชัย ธีระ วรวุฒิ สุริยา จักรพันธ์ นิพนธ์ ไพโรจน์ "
    "สมหมาย เสถียร ณรงค์ ปรีชา สุวิทย์ อภิชาติ ชาตรี ธวัชชัย พงศกร ศุภชัย บุญส่ง ถนอม สำราญ วินัย เอกชัย"
).split()
FIRST_NAMES_F = (
    "สมใจ มาลัย บุญเรือน ละเอียด จันทร์เพ็ญ ประไพ สุภาพร อรทัย พิมพ์ชนก กมลา วันเพ็ญ สุดารัตน์ นงลักษณ์ ศิริพร "
    "รัตนา อัมพร ปราณี มณีรัตน์ จิราพร กาญจนา วิไลวรรณ สุนันทา พรทิพย์ ลำดวน บัวผัน ทองใบ นันทนา เยาวลักษณ์ อรุณี "
    "สายสุนีย์ ปิยะนุช ชุติมา ณัฐธิดา เพ็ญศรี ดวงใจ ศศิธร กัลยา อุไรวรรณ สมจิตร บุษบา คำปุน สมหวัง จำเนียร"
).split()
SURNAMES = (
    "ทองดี แสงทอง ศรีงาม พูลผล คงมั่น ใจเย็น มีนา สุขใจ เอื้ออารี ดีเลิศ ทรัพย์มาก รักสงบ ใจดี มั่นคง ศรีสุข "
    "ขยันงาน บุญมา แก้วมณี สุวรรณรัตน์ จันทร์หอม บุญประเสริฐ ศรีสวัสดิ์ พรหมมา อินทร์แก้ว ทองมา แสนสุข ชัยมงคล "
    "วงศ์ใหญ่ เพชรรัตน์ สมบูรณ์ชัย นาคสวัสดิ์ กาญจนวงศ์ ปัญญาดี ศักดิ์สิทธิ์ วิเศษสุข ภูมิพัฒน์ บุญยืน สีดา คำแสน "
    "ผาสุข เรืองศรี มณีวงศ์ อ่อนศรี ประเสริฐวงศ์ ทองประเสริฐ สิทธิโชค ชูชื่น บัวแก้ว ศรีวิไล จันทร์แก้ว พันธุ์ดี "
    "หอมจันทร์ เกษมสุข รุ่งเรือง ยิ้มแย้ม ทองสุข แก้วประเสริฐ ศรีบุญเรือง โพธิ์ทอง พึ่งบุญ"
).split()
COMPANY_WORDS = (
    "รุ่งเรืองพัฒนา สยามก่อสร้าง ไทยเจริญทรัพย์ เอเชียอุตสาหกรรม ศรีสุขการเกษตร ทองคำลิสซิ่ง มั่งมีการค้า "
    "สุขสันต์คอนสตรัคชั่น ไทยรุ่งโรจน์ พรหมมินทร์ฟาร์ม เจริญผลค้าวัสดุ ทวีทรัพย์ไฟแนนซ์ สามพรานอาหาร ชัยพฤกษ์ขนส่ง"
).split()

# (sub-category, subject, what happened). The demo stories are added below.
FRAGMENTS = [
    ("บุกรุกที่ดินสาธารณประโยชน์", "บุกรุกที่สาธารณประโยชน์หนองน้ำประจำหมู่บ้าน",
     "มีผู้ถมดินและล้อมรั้วรุกล้ำที่สาธารณประโยชน์หนองน้ำที่ชาวบ้านใช้ร่วมกัน"),
    ("บุกรุกที่ดินสาธารณประโยชน์", "ปลูกสร้างอาคารรุกล้ำทางสาธารณะ",
     "มีการก่อสร้างอาคารรุกล้ำแนวทางสาธารณะ ทำให้ถนนแคบลงและรถสวนกันไม่ได้"),
    ("ข้อพิพาทแนวเขตที่ดิน", "หลักหมุดแนวเขตที่ดินถูกย้าย",
     "หลักหมุดแนวเขตที่ดินถูกถอนและย้ายเข้ามาในที่ดินของผู้ร้อง ตกลงกับเจ้าของที่ดินข้างเคียงไม่ได้"),
    ("ข้อพิพาทแนวเขตที่ดิน", "ขอให้รังวัดสอบเขตที่ดินใหม่",
     "ผู้ร้องกับเพื่อนบ้านเห็นไม่ตรงกันเรื่องแนวเขตที่ดินมรดก ต้องการให้เจ้าหน้าที่รังวัดสอบเขตใหม่"),
    ("การออกเอกสารสิทธิ์ที่ดิน", "ขอออกโฉนดที่ดินล่าช้า",
     "ยื่นคำขอออกโฉนดที่ดินมานานกว่าสองปีแล้ว ยังไม่ได้รับแจ้งความคืบหน้า"),
    ("การออกเอกสารสิทธิ์ที่ดิน", "ขอตรวจสอบการออกเอกสารสิทธิ์ทับที่ดินทำกิน",
     "มีการออกเอกสารสิทธิ์ทับที่ดินที่ครอบครัวผู้ร้องทำกินมาตั้งแต่รุ่นปู่ย่า"),
    ("ที่ดินทำกิน", "ขอที่ดินทำกินสำหรับเกษตรกรยากจน",
     "ครอบครัวผู้ร้องไม่มีที่ดินทำกินเป็นของตนเอง ต้องเช่าที่ดินปลูกข้าวในราคาสูง"),
    ("ที่ดินทำกิน", "ถูกเรียกคืนที่ดินทำกินที่เช่ามานาน",
     "ผู้ให้เช่าแจ้งเรียกคืนที่ดินทำกินกะทันหันทั้งที่ข้าวยังไม่ถึงเวลาเก็บเกี่ยว"),
    ("หนี้นอกระบบ", "ถูกยึดที่ดินจากหนี้นอกระบบ",
     "ผู้ร้องนำโฉนดที่ดินไปค้ำประกันเงินกู้นอกระบบ ต่อมาถูกบังคับให้โอนที่ดินชำระหนี้"),
    ("หนี้นอกระบบ", "ดอกเบี้ยเงินกู้รายวันสูงเกินกฎหมาย",
     "กู้เงินแบบผ่อนรายวันและถูกคิดดอกเบี้ยสูงเกินอัตราที่กฎหมายกำหนด"),
    ("หนี้ในระบบ", "ขอความช่วยเหลือปรับโครงสร้างหนี้ธนาคาร",
     "ผู้ร้องผ่อนชำระหนี้เงินกู้ธนาคารไม่ไหวหลังรายได้ลดลง ต้องการเจรจาปรับโครงสร้างหนี้"),
    ("หนี้ในระบบ", "หนี้สหกรณ์การเกษตรค้างชำระ",
     "ผู้ร้องค้างชำระหนี้สหกรณ์การเกษตรเนื่องจากผลผลิตเสียหายจากภัยแล้ง"),
    ("การทวงถามหนี้ไม่เป็นธรรม", "ถูกทวงหนี้ด้วยวาจาหยาบคาย",
     "พนักงานทวงถามหนี้โทรศัพท์มาข่มขู่และใช้วาจาหยาบคายทั้งกลางวันและกลางคืน"),
    ("การทวงถามหนี้ไม่เป็นธรรม", "ผู้ทวงหนี้ติดต่อญาติและที่ทำงาน",
     "ผู้ทวงถามหนี้โทรไปแจ้งเรื่องหนี้แก่ญาติและที่ทำงานของผู้ร้อง ทำให้ได้รับความอับอาย"),
    ("เสียงดัง", "เสียงดังจากร้านคาราโอเกะ", "ร้านคาราโอเกะเปิดเพลงเสียงดังจนถึงเวลาตีสองทุกคืน"),
    ("เสียงดัง", "เสียงดังจากการก่อสร้างยามค่ำคืน",
     "โครงการก่อสร้างทำงานต่อเนื่องในเวลากลางคืน มีเสียงเครื่องจักรดังรบกวนการพักผ่อน"),
    ("กลิ่นเหม็น ควัน ฝุ่นละออง", "ควันจากการเผาตอซังข้าว",
     "มีการเผาตอซังข้าวในแปลงนาใกล้ชุมชน ควันและเขม่าปลิวเข้าบ้านเรือน"),
    ("กลิ่นเหม็น ควัน ฝุ่นละออง", "ฝุ่นละอองจากโรงงานบดหิน",
     "โรงงานบดหินปล่อยฝุ่นละอองฟุ้งกระจายปกคลุมบ้านเรือนและพืชผลทางการเกษตร"),
    ("สัตว์เลี้ยงและสัตว์จรจัด", "สุนัขจรจัดไล่กัดเด็กนักเรียน",
     "มีสุนัขจรจัดจำนวนมากรวมฝูงบริเวณทางเข้าโรงเรียน ไล่กัดเด็กนักเรียนและผู้สัญจร"),
    ("สัตว์เลี้ยงและสัตว์จรจัด", "เพื่อนบ้านเลี้ยงไก่ชนส่งเสียงดังและกลิ่นเหม็น",
     "เพื่อนบ้านเลี้ยงไก่ชนจำนวนมากติดรั้วบ้าน มีทั้งกลิ่นและเสียงรบกวน"),
    ("น้ำเสีย", "โรงงานปล่อยน้ำเสียลงลำคลอง", "โรงงานปล่อยน้ำเสียสีดำลงลำคลองสาธารณะ ปลาตายและชาวบ้านใช้น้ำไม่ได้"),
    ("น้ำเสีย", "น้ำเสียจากร้านอาหารไหลลงท่อระบายน้ำ",
     "ร้านอาหารปล่อยน้ำทิ้งและไขมันลงท่อระบายน้ำจนอุดตันและส่งกลิ่นเหม็น"),
    ("ทุจริตหรือประพฤติมิชอบ", "ร้องเรียนการจัดซื้อจัดจ้างไม่โปร่งใส",
     "การจ้างเหมาก่อสร้างถนนของหน่วยงานในพื้นที่มีข้อสงสัยว่าไม่เป็นไปตามระเบียบ"),
    ("ทุจริตหรือประพฤติมิชอบ", "เรียกรับผลประโยชน์จากผู้ประกอบการ",
     "มีผู้อ้างเป็นเจ้าหน้าที่เรียกรับเงินรายเดือนจากร้านค้าในตลาด"),
    ("การให้บริการไม่เหมาะสม", "เจ้าหน้าที่พูดจาไม่สุภาพกับประชาชน",
     "ผู้ร้องไปติดต่อราชการแล้วถูกเจ้าหน้าที่พูดจาไม่สุภาพและไม่ให้คำแนะนำ"),
    ("การให้บริการไม่เหมาะสม", "รอรับบริการนานเกินสมควร",
     "ผู้ร้องไปติดต่อขอเอกสารตั้งแต่เช้าแต่ต้องรอจนถึงบ่ายโดยไม่มีคำชี้แจง"),
    ("ละเลยต่อหน้าที่", "แจ้งความแล้วไม่มีการดำเนินการ",
     "ผู้ร้องแจ้งความเรื่องทรัพย์สินถูกลักไว้นานแล้ว แต่ยังไม่มีความคืบหน้าในการติดตาม"),
    ("ละเลยต่อหน้าที่", "หน่วยงานไม่ตอบหนังสือร้องเรียน",
     "ผู้ร้องยื่นหนังสือถึงหน่วยงานท้องถิ่นหลายครั้งแต่ไม่ได้รับคำตอบ"),
    ("ถนนชำรุด", "ถนนคอนกรีตแตกร้าวทรุดตัว",
     "ถนนคอนกรีตสายหลักของหมู่บ้านแตกร้าวและทรุดตัวเป็นแนวยาว เกิดอุบัติเหตุบ่อยครั้ง"),
    ("ถนนชำรุด", "ขอให้ซ่อมสะพานไม้ข้ามคลอง", "สะพานไม้ข้ามคลองผุพังจนเด็กนักเรียนเดินข้ามไม่ปลอดภัย"),
    ("ไฟฟ้าส่องสว่าง", "ขอติดตั้งไฟฟ้าส่องสว่างทางแยก",
     "ทางแยกหน้าหมู่บ้านมืดมากในเวลากลางคืน เกิดอุบัติเหตุรถชนกันหลายครั้ง"),
    ("ไฟฟ้าส่องสว่าง", "ไฟฟ้าตกบ่อยจนเครื่องใช้ไฟฟ้าเสียหาย",
     "กระแสไฟฟ้าตกและดับบ่อยครั้ง ทำให้เครื่องใช้ไฟฟ้าในบ้านเสียหาย"),
    ("น้ำประปา", "น้ำประปาขุ่นมีตะกอน", "น้ำประปาที่ใช้มีสีขุ่นและมีตะกอน ไม่สามารถใช้อุปโภคได้"),
    ("น้ำประปา", "ค่าน้ำประปาสูงผิดปกติ", "ใบแจ้งค่าน้ำประปาเดือนล่าสุดสูงกว่าปกติหลายเท่าโดยไม่ทราบสาเหตุ"),
    ("ระบบระบายน้ำ น้ำท่วมขัง", "น้ำท่วมขังถนนหน้าชุมชน",
     "ฝนตกทุกครั้งน้ำท่วมขังถนนหน้าชุมชนนานหลายวันเพราะท่อระบายน้ำอุดตัน"),
    ("ระบบระบายน้ำ น้ำท่วมขัง", "ขอให้ขุดลอกคูระบายน้ำ", "คูระบายน้ำตื้นเขินและมีวัชพืชปกคลุม น้ำไหลไม่สะดวกในฤดูฝน"),
    ("สินค้าหรือบริการไม่ได้มาตรฐาน", "ซื้อรถจักรยานยนต์มือสองแล้วชำรุด",
     "ซื้อรถจักรยานยนต์มือสองจากร้านค้า ใช้งานได้ไม่ถึงหนึ่งเดือนเครื่องยนต์เสียและร้านไม่รับผิดชอบ"),
    ("สินค้าหรือบริการไม่ได้มาตรฐาน", "อาหารในร้านค้าหมดอายุ",
     "ร้านค้าในชุมชนวางขายอาหารที่หมดอายุแล้ว ผู้ร้องซื้อไปรับประทานแล้วมีอาการท้องเสีย"),
    ("ราคาไม่เป็นธรรม", "ขายปุ๋ยเกินราคาที่ทางราชการกำหนด", "ร้านค้าขายปุ๋ยเคมีราคาสูงกว่าราคาที่ทางราชการกำหนด"),
    ("ราคาไม่เป็นธรรม", "ร้านค้าไม่ติดป้ายแสดงราคาสินค้า",
     "ร้านค้าหลายแห่งในตลาดไม่ติดป้ายแสดงราคา และเรียกเก็บเงินตามใจชอบ"),
    ("การซื้อขายออนไลน์", "สั่งซื้อโทรศัพท์ออนไลน์ได้รับสินค้าปลอม",
     "สั่งซื้อโทรศัพท์มือถือผ่านแอปพลิเคชันแต่ได้รับสินค้าปลอมและผู้ขายไม่ยอมคืนเงิน"),
    ("ความรุนแรงในครอบครัว", "สามีทำร้ายร่างกายเป็นประจำ",
     "ผู้ร้องถูกสามีทำร้ายร่างกายเป็นประจำเมื่อดื่มสุรา ต้องการความคุ้มครอง"),
    ("ความรุนแรงในครอบครัว", "บุตรทำร้ายบิดามารดาผู้สูงอายุ",
     "บุตรชายติดยาเสพติดและทำร้ายบิดามารดาที่สูงอายุเพื่อเอาเงิน"),
    ("ข้อพิพาทมรดก", "ข้อพิพาทแบ่งมรดกที่ดินระหว่างพี่น้อง",
     "พี่น้องไม่สามารถตกลงแบ่งที่ดินมรดกของบิดามารดาได้ ต้องการให้ไกล่เกลี่ย"),
    ("ข้อพิพาทมรดก", "ผู้จัดการมรดกไม่แบ่งทรัพย์ให้ทายาท",
     "ผู้จัดการมรดกครอบครองทรัพย์มรดกไว้คนเดียวและไม่ยอมแบ่งให้ทายาทคนอื่น"),
    ("ค่าอุปการะเลี้ยงดู", "อดีตสามีไม่ส่งค่าเลี้ยงดูบุตร",
     "อดีตสามีไม่ส่งค่าอุปการะเลี้ยงดูบุตรตามที่ตกลงกันไว้มาหลายเดือน"),
    ("ค่าอุปการะเลี้ยงดู", "ขอให้บุตรช่วยเหลือเลี้ยงดูบิดามารดา", "บิดามารดาผู้สูงอายุถูกบุตรทอดทิ้ง ไม่มีผู้อุปการะเลี้ยงดู"),
    ("ผู้ยากไร้หรือผู้ได้รับความเดือดร้อน", "ขอความช่วยเหลือซ่อมแซมบ้านที่ทรุดโทรม",
     "ครอบครัวผู้ร้องมีรายได้น้อย บ้านที่อาศัยผุพังใกล้จะพัง ต้องการความช่วยเหลือซ่อมแซม"),
    ("ผู้ยากไร้หรือผู้ได้รับความเดือดร้อน", "ขอรับเงินช่วยเหลือผู้มีรายได้น้อย",
     "ผู้ร้องตกงานและต้องเลี้ยงดูบุตรสามคน ขอรับการช่วยเหลือค่าครองชีพ"),
    ("ผู้ประสบสาธารณภัย", "บ้านเรือนเสียหายจากวาตภัย", "พายุฤดูร้อนพัดหลังคาบ้านเสียหายทั้งหลัง ขอความช่วยเหลือวัสดุซ่อมแซม"),
    ("ผู้ประสบสาธารณภัย", "พืชผลเสียหายจากน้ำท่วม", "น้ำท่วมนาข้าวเสียหายทั้งแปลง ขอรับการช่วยเหลือเยียวยาเกษตรกร"),
    ("ผู้ป่วย ผู้พิการ ผู้สูงอายุ", "ขอรถเข็นสำหรับผู้พิการ",
     "ผู้ร้องเป็นผู้พิการทางการเคลื่อนไหว ไม่มีรถเข็นใช้ในการเดินทางไปโรงพยาบาล"),
    ("แจ้งเบาะแสยาเสพติด", "แจ้งเบาะแสการค้ายาเสพติดในชุมชน",
     "มีกลุ่มวัยรุ่นมั่วสุมเสพและจำหน่ายยาเสพติดในบ้านร้างท้ายหมู่บ้าน"),
    ("แจ้งเบาะแสยาเสพติด", "พบการจำหน่ายยาบ้าใกล้โรงเรียน", "มีผู้จำหน่ายยาบ้าให้นักเรียนบริเวณร้านค้าใกล้โรงเรียน"),
    ("การพนัน", "บ่อนไก่ชนเปิดเล่นการพนัน", "มีการเปิดบ่อนไก่ชนและเล่นการพนันทุกวันอาทิตย์โดยไม่ได้รับอนุญาต"),
    ("การพนัน", "การพนันออนไลน์ในร้านเกม", "ร้านเกมในชุมชนเปิดให้เด็กและเยาวชนเล่นการพนันออนไลน์"),
]  # fmt: skip

# "เรื่องอื่นๆ": (category text, subject, what happened)
OTHER_FRAGMENTS = [
    ("แรงงาน", "ขอความเป็นธรรมกรณีถูกเลิกจ้าง", "ผู้ร้องถูกนายจ้างเลิกจ้างโดยไม่ได้รับค่าชดเชยตามกฎหมาย"),
    ("การเลือกผู้ใหญ่บ้าน", "ร้องเรียนการคัดเลือกผู้ใหญ่บ้าน", "ผู้ร้องเห็นว่าการคัดเลือกผู้ใหญ่บ้านไม่เป็นไปตามระเบียบ"),
    ("การเก็บค่าบริการ", "ขอให้ตรวจสอบการเก็บค่าจอดรถ", "มีผู้เรียกเก็บค่าจอดรถในที่สาธารณะโดยไม่มีใบเสร็จรับเงิน"),
    ("ทะเบียนราษฎร", "ขอแก้ไขชื่อในทะเบียนบ้าน", "ชื่อของผู้ร้องในทะเบียนบ้านสะกดผิด ทำให้ใช้สิทธิรักษาพยาบาลไม่ได้"),
]  # fmt: skip

OPENINGS = [
    "", "ผู้ร้องแจ้งว่า", "ผู้ร้องเรียนว่า", "ชาวบ้านในพื้นที่ร้องเรียนว่า", "ผู้ร้องมาติดต่อที่ศูนย์ดำรงธรรมแจ้งว่า",
    "ได้รับแจ้งทางโทรศัพท์ว่า", "ผู้ร้องยื่นหนังสือแจ้งว่า",
]  # fmt: skip
DURATIONS = [("เป็นเวลากว่า", "สัปดาห์"), ("ต่อเนื่องมาแล้ว", "เดือน"), ("เกิดขึ้นซ้ำมาแล้ว", "ครั้ง")]
REQUESTS = [
    "ขอให้ศูนย์ดำรงธรรมช่วยตรวจสอบและแก้ไขปัญหา", "จึงขอความช่วยเหลือจากทางราชการ",
    "ขอให้เจ้าหน้าที่ลงพื้นที่ตรวจสอบและไกล่เกลี่ย", "ขอให้ดำเนินการตามกฎหมายกับผู้เกี่ยวข้อง",
    "ขอให้ประสานหน่วยงานที่เกี่ยวข้องแก้ไขโดยเร็ว", "ผู้ร้องได้รับความเดือดร้อนมาก ขอให้ช่วยเหลือด้วย",
]  # fmt: skip
PROGRESS_TEXTS = [
    "ลงพื้นที่พบผู้ร้องและผู้ถูกร้องแล้ว นัดไกล่เกลี่ยที่ศาลาประชาคม",
    "ตรวจสอบข้อเท็จจริงในพื้นที่แล้ว ถ่ายภาพประกอบและบันทึกถ้อยคำผู้เกี่ยวข้อง",
    "ประสานหน่วยงานท้องถิ่นเข้าร่วมตรวจสอบ อยู่ระหว่างรอผลการตรวจสอบ",
    "เชิญคู่กรณีมาพบที่ที่ว่าการอำเภอ ทั้งสองฝ่ายตกลงเจรจากันเบื้องต้น",
    "แจ้งผู้ถูกร้องให้แก้ไขภายในสิบห้าวัน จะติดตามผลอีกครั้ง",
]
SUMMARIES = {
    Outcome.RESOLVED: ["ไกล่เกลี่ยสำเร็จ คู่กรณีลงนามบันทึกข้อตกลง", "หน่วยงานที่รับผิดชอบแก้ไขปัญหาแล้ว ผู้ร้องพึงพอใจ",
                       "ผู้ถูกร้องแก้ไขตามที่ตกลงแล้ว ตรวจสอบซ้ำไม่พบปัญหา"],
    Outcome.PARTLY_RESOLVED: ["แก้ไขได้บางส่วน ส่วนที่เหลือหน่วยงานบรรจุในแผนงบประมาณปีถัดไป",
                              "คู่กรณีตกลงกันได้บางประเด็น ประเด็นที่เหลือแนะนำให้ใช้สิทธิทางศาล"],
    Outcome.NOT_RESOLVABLE: ["ตรวจสอบแล้วไม่สามารถแก้ไขได้ ได้ชี้แจงเหตุผลให้ผู้ร้องทราบแล้ว"],
    Outcome.OUTSIDE_AUTHORITY: ["เป็นเรื่องที่อยู่ระหว่างการพิจารณาของศาล แนะนำผู้ร้องให้ติดตามผลคดี"],
}  # fmt: skip
OUTCOME_WEIGHTS = [(Outcome.RESOLVED, 65), (Outcome.PARTLY_RESOLVED, 18), (Outcome.NOT_RESOLVABLE, 10),
                   (Outcome.OUTSIDE_AUTHORITY, 7)]  # fmt: skip
NOTES = {
    "send_back_assignment": ["ขอให้เสนอชุดปฏิบัติการที่อยู่ในพื้นที่เกิดเหตุ", "ชุดปฏิบัติการนี้มีงานค้างมาก ขอให้พิจารณาชุดอื่น"],
    "escalate": ["เกี่ยวข้องกับเจ้าหน้าที่ระดับจังหวัด เกินอำนาจอำเภอ", "ต้องประสานหลายหน่วยงานระดับจังหวัด",
                 "คู่กรณีไม่ยอมรับการไกล่เกลี่ยของอำเภอ"],
    "reject": ["เป็นเรื่องที่อยู่ระหว่างการพิจารณาของศาล", "ไม่ระบุข้อเท็จจริงเพียงพอที่จะตรวจสอบได้",
               "เป็นเรื่องเดียวกับที่ยุติไปแล้ว"],
    "withdraw": ["ผู้ร้องแจ้งถอนเรื่องเนื่องจากตกลงกันได้เอง", "ผู้ร้องขอถอนเรื่องเพราะปัญหาได้รับการแก้ไขแล้ว"],
    "forward": ["ขอให้ตรวจสอบตามอำนาจหน้าที่และแจ้งผลให้ทราบ", "ส่งเรื่องให้หน่วยงานเจ้าของพื้นที่พิจารณา"],
    "agency_replied": ["หน่วยงานตรวจสอบแล้ว แจ้งว่าได้ดำเนินการแก้ไขเบื้องต้นแล้ว",
                       "หน่วยงานแจ้งว่าอยู่ระหว่างตั้งงบประมาณซ่อมแซม ขอให้อำเภอติดตามต่อ"],
}  # fmt: skip
FORWARD_AGENCIES = [
    "สำนักงานคุ้มครองผู้บริโภค", "สำนักงานที่ดิน{p}", "สำนักงานสาธารณสุข{p}", "สำนักงานพัฒนาสังคมและความมั่นคงของมนุษย์{p}",
    "การไฟฟ้าส่วนภูมิภาค{d}", "สำนักงานทรัพยากรธรรมชาติและสิ่งแวดล้อม{p}", "สำนักงานแรงงาน{p}",
]  # fmt: skip
OFFICIAL_POSITIONS = ["เจ้าพนักงานปกครอง", "เจ้าหน้าที่งานทะเบียน", "นักวิชาการที่ดิน", "เจ้าพนักงานธุรการ", "นายช่างโยธา"]

# Which respondent a main category usually names: (kind, weight); None for no respondent.
RESPONDENTS = {
    "ที่ดิน": [("person", 70), ("agency_land", 20), (None, 10)],
    "หนี้สิน": [("person", 60), ("company_finance", 40)],
    "เหตุเดือดร้อนรำคาญ": [("person", 45), ("company", 45), (None, 10)],
    "พฤติกรรมเจ้าหน้าที่รัฐ": [("official", 100)],
    "สาธารณูปโภค": [("agency_local", 85), ("agency_utility", 15)],
    "คุ้มครองผู้บริโภค": [("company", 70), ("person", 30)],
    "ครอบครัว": [("person", 100)],
    "ขอความช่วยเหลือ": [(None, 80), ("agency_local", 20)],
    "ยาเสพติดและอบายมุข": [("person", 50), (None, 50)],
}
MAIN_WEIGHTS = {
    "ที่ดิน": 18, "หนี้สิน": 12, "เหตุเดือดร้อนรำคาญ": 20, "พฤติกรรมเจ้าหน้าที่รัฐ": 6, "สาธารณูปโภค": 18,
    "คุ้มครองผู้บริโภค": 8, "ครอบครัว": 6, "ขอความช่วยเหลือ": 7, "ยาเสพติดและอบายมุข": 3,
}  # fmt: skip
CHANNELS = [("walk_in", 35), ("phone", 20), ("letter", 10), ("online", 14), ("line", 15), ("field_team", 4),
            ("other_system", 2)]  # fmt: skip

# --- Case plans: the steps that lead to each final state -----------------------------------

PA, AA, SB, ACC, RP, PR, AC = (
    "propose_assignment", "approve_assignment", "send_back_assignment", "accept", "report_progress",
    "propose_resolution", "approve_closure",
)  # fmt: skip
FWD, REPLY, ESC, REJ, WD = "forward", "agency_replied", "escalate", "reject", "withdraw"

# Days between a step and the one before it (uniform between the bounds).
GAPS = {
    PA: (0.05, 2), AA: (0.05, 2), SB: (0.05, 1), ACC: (0.1, 3), RP: (2, 12), PR: (2, 20), AC: (0.2, 5),
    FWD: (0.5, 7), REPLY: (5, 40), ESC: (1, 14), REJ: (0.2, 7), WD: (1, 30),
}  # fmt: skip
TARGETS = {
    PA: Status.ASSIGNMENT_PENDING, AA: Status.ASSIGNED, SB: Status.RECEIVED, ACC: Status.INVESTIGATING,
    RP: Status.INVESTIGATING, PR: Status.RESOLUTION_PENDING, AC: Status.CLOSED, FWD: Status.FORWARDED,
    REPLY: Status.INVESTIGATING, ESC: Status.ESCALATED, REJ: Status.REJECTED, WD: Status.CLOSED,
}  # fmt: skip

# Final states by the case's age (days since received): open ones are young, most are closed.
OPEN_MIX = {
    "new": [("received", 55), ("assignment_pending", 20), ("assigned", 10), ("investigating", 5),
            ("forwarded", 5), ("escalated", 2), ("resolution_pending", 3)],
    "recent": [("received", 20), ("assignment_pending", 8), ("assigned", 10), ("investigating", 35),
               ("resolution_pending", 10), ("forwarded", 10), ("escalated", 7)],
    "old": [("received", 8), ("assignment_pending", 3), ("assigned", 5), ("investigating", 40),
            ("resolution_pending", 10), ("forwarded", 20), ("escalated", 14)],
}  # fmt: skip
FINISHED_MIX = [("closed", 78), ("closed_forward", 7), ("closed_escalated", 4), ("withdrawn", 6), ("rejected", 5)]
CLAIMED_SHARE = 0.35  # open tasks someone has taken from the queue

FLOW_CLASS = "workflows/flows.CaseFlow"
TOKEN = "start"  # noqa: S105 - viewflow's token of a flow's first branch, not a secret
NULL = "\\N"
_COPY_ESCAPE = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def esc(value: str) -> str:
    """Escape a value for COPY's text format (most values need nothing)."""
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        return value.translate(_COPY_ESCAPE)
    return value


def _weighted(pairs):
    values = [v for v, _w in pairs]
    cum, total = [], 0
    for _v, w in pairs:
        total += w
        cum.append(total)
    return values, cum


# --- Writing ------------------------------------------------------------------------------

COLUMNS = {
    "cases_complaint": "id, tracking_code, fiscal_year, running_number, channel, received_on, recorded_at, "
    "category_other_text, subject, description, incident_address, latitude, longitude, due_on, submission_key, "
    "category_id, district_id, incident_subdistrict_id, main_category_id, province_id, recorded_by_id, "
    "number_district_id, status, is_escalated, outcome, closing_summary, closed_at, proposed_outcome, "
    "proposed_summary, team_id, first_reply_at, last_progress_at, search_document, updated_at",
    "cases_historicalcomplaint": "history_id, id, tracking_code, fiscal_year, running_number, channel, received_on, "
    "recorded_at, category_other_text, subject, description, incident_address, latitude, longitude, due_on, "
    "submission_key, category_id, district_id, incident_subdistrict_id, main_category_id, province_id, "
    "recorded_by_id, number_district_id, status, is_escalated, outcome, closing_summary, closed_at, "
    "proposed_outcome, proposed_summary, team_id, first_reply_at, last_progress_at, history_date, "
    "history_change_reason, history_type, history_user_id",
    "cases_complainant": "id, is_anonymous, is_confidential, national_id, title, first_name, last_name, phone, "
    "address, subdistrict_id, complaint_id",
    "cases_historicalcomplainant": "history_id, id, is_anonymous, is_confidential, national_id, title, first_name, "
    "last_name, phone, address, subdistrict_id, complaint_id, history_date, history_change_reason, history_type, "
    "history_user_id",
    "cases_respondent": "id, kind, name, position, national_id, address, phone, complaint_id, user_id",
    "cases_historicalrespondent": "history_id, id, kind, name, position, national_id, address, phone, complaint_id, "
    "user_id, history_date, history_change_reason, history_type, history_user_id",
    "cases_caseevent": "id, action, from_status, to_status, actor_name, at, note, data, actor_id, complaint_id",
    "cases_progressreport": "id, text, latitude, longitude, reported_at, author_id, complaint_id",
    "cases_forwarding": "id, agency, letter_number, letter_date, note, forwarded_at, reply, reply_letter_number, "
    "replied_on, complaint_id, forwarded_by_id, reply_recorded_by_id",
    "viewflow_process": "id, flow_class, status, created, finished, artifact_content_type_id, artifact_object_id, data",
    "workflows_casetask": "id, flow_task, flow_task_type, status, created, assigned, started, finished, token, data, "
    "queue, due_at, complaint_id, district_id, owner_id, process_id, province_id, team_id",
    "workflows_casetask_previous": "id, from_casetask_id, to_casetask_id",
}
ID_COLUMNS = {table: ("history_id" if "historical" in table else "id") for table in COLUMNS}


class IdPool:
    """Ids from a table's own sequence, fetched in blocks (nextval), so that ORM inserts
    made later never collide. Unused ids at the end of a run are a harmless gap."""

    def __init__(self, table: str, block: int):
        self.table, self.block = table, block
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, ID_COLUMNS[table]])
            self.sequence = cursor.fetchone()[0]
        self._ids: list[int] = []
        self._next = 0

    def take(self) -> int:
        if self._next == len(self._ids):
            with connection.cursor() as cursor:
                cursor.execute("SELECT nextval(%s) FROM generate_series(1, %s)", [self.sequence, self.block])
                self._ids = [row[0] for row in cursor.fetchall()]
            self._next = 0
        value = self._ids[self._next]
        self._next += 1
        return value


@dataclass
class Batch:
    rows: dict[str, list[str]] = field(default_factory=lambda: {table: [] for table in COLUMNS})
    running_numbers: dict[tuple[str, int], int] = field(default_factory=dict)
    cases: int = 0


class Writer:
    """COPYs batches into PostgreSQL, one transaction each, in a thread of its own (with its
    own connection), so that the next batch is generated meanwhile."""

    def __init__(self, *, replica: bool, serial: bool, on_done):
        self.replica, self.serial, self.on_done = replica, serial, on_done
        self.error: BaseException | None = None
        self.rows_written = {table: 0 for table in COLUMNS}
        self.copy_seconds = 0.0
        if not serial:
            self._queue: queue.Queue = queue.Queue(maxsize=1)
            self._thread = threading.Thread(target=self._run, name="bench-copy", daemon=True)
            self._thread.start()

    def put(self, batch: Batch) -> None:
        if self.error:
            raise self.error
        if self.serial:
            self._write(batch)
        else:
            self._queue.put(batch)

    def close(self) -> None:
        if not self.serial:
            self._queue.put(None)
            self._thread.join()
        if self.error:
            raise self.error

    def _run(self) -> None:
        try:
            while (batch := self._queue.get()) is not None:
                if self.error is not None:
                    continue  # drain: the main thread raises the error at its next put()
                try:
                    self._write(batch)
                except BaseException as error:  # noqa: BLE001 - re-raised in the main thread
                    self.error = error
        finally:
            connection.close()

    def _write(self, batch: Batch) -> None:
        started = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit = off")
            if self.replica:
                cursor.execute("SET LOCAL session_replication_role = replica")
            for table, lines in batch.rows.items():
                if not lines:
                    continue
                buffer = io.StringIO("".join(lines))
                # Large reads: each one needs the GIL, which the generating thread mostly holds.
                cursor.copy_expert(f"COPY {table} ({COLUMNS[table]}) FROM STDIN", buffer, 1 << 20)
                self.rows_written[table] += len(lines)
            if batch.running_numbers:
                values = ", ".join(["(%s, %s, %s)"] * len(batch.running_numbers))
                params = [v for (district, year), last in batch.running_numbers.items() for v in (district, year, last)]
                cursor.execute(
                    f"INSERT INTO cases_runningnumber (district_id, fiscal_year, last) VALUES {values} "  # noqa: S608
                    "ON CONFLICT (district_id, fiscal_year) "
                    "DO UPDATE SET last = GREATEST(cases_runningnumber.last, EXCLUDED.last)",
                    params,
                )
        self.copy_seconds += time.perf_counter() - started
        self.on_done(batch)


# --- Staff and teams ----------------------------------------------------------------------


@dataclass
class Person:
    id: int
    name: str


@dataclass
class TeamInfo:
    id: int
    name: str
    subdistrict: str
    members: list[Person]


@dataclass
class DistrictInfo:
    code: str
    province: str
    label: str  # อำเภอเมืองราชบุรี / เขตพระนคร
    subdistricts: list[tuple[str, str]]  # (code, ตำบลหน้าเมือง)
    officers: list[Person] = field(default_factory=list)
    head: Person | None = None
    teams: list[TeamInfo] = field(default_factory=list)


class Staff:
    """Find or create the officers and teams the generated cases need."""

    def __init__(self, rng: random.Random, stdout):
        self.rng, self.stdout = rng, stdout
        self.taken_ids = set(User.objects.values_list("national_id", flat=True))
        self.created_users = 0
        self.created_teams = 0

    def _name(self) -> tuple[str, str, str]:
        if self.rng.random() < 0.6:
            return "นาย", self.rng.choice(FIRST_NAMES_M), self.rng.choice(SURNAMES)
        return self.rng.choice(["นาง", "นางสาว"]), self.rng.choice(FIRST_NAMES_F), self.rng.choice(SURNAMES)

    def _national_id(self, area: str, kind: int) -> str:
        serial = 1
        while True:
            lead = self.rng.choice("13")
            candidate = make_national_id(f"{lead}{area:0<4}{kind}{serial:06d}")
            if candidate not in self.taken_ids:
                self.taken_ids.add(candidate)
                return candidate
            serial += 1

    def _new_user(self, *, role: str, position: str, district: str | None, province: str, kind: int) -> User:
        title, first, last = self._name()
        area = district if district else f"{province}00"
        user = User(
            national_id=self._national_id(area, kind),
            password=make_password(None),  # unusable: nobody signs in as a generated officer
            title=title, first_name=first, last_name=last, position=position,
            scope_level=ScopeLevel.DISTRICT if district else ScopeLevel.PROVINCE,
            district_id=district, province_id=province, must_change_password=False,
        )  # fmt: skip
        user._bench_role = role
        return user

    def ensure(self, districts: dict[str, DistrictInfo], province_names: dict[str, str]):
        users = User.objects.filter(is_active=True)
        existing: dict[tuple[str, str], list[Person]] = {}
        for user in (
            users.filter(roles__code__in=[Role.DISTRICT_OFFICER, Role.DISTRICT_HEAD])
            .values("id", "title", "first_name", "last_name", "district_id", "roles__code")
            .order_by("id")
        ):
            key = (user["district_id"], user["roles__code"])
            existing.setdefault(key, []).append(Person(user["id"], _full(user)))
        for user in (
            users.filter(roles__code__in=[Role.PROVINCE_OFFICER, Role.PROVINCE_HEAD], district__isnull=True)
            .values("id", "title", "first_name", "last_name", "province_id", "roles__code")
            .order_by("id")
        ):
            key = (user["province_id"], user["roles__code"])
            existing.setdefault(key, []).append(Person(user["id"], _full(user)))

        new_users: list[User] = []
        for info in districts.values():
            if not existing.get((info.code, Role.DISTRICT_OFFICER)):
                for _ in range(2):
                    new_users.append(self._new_user(role=Role.DISTRICT_OFFICER, position="เจ้าพนักงานปกครองชำนาญงาน",
                                                    district=info.code, province=info.province, kind=1))  # fmt: skip
            if not existing.get((info.code, Role.DISTRICT_HEAD)):
                head_title = "ผู้อำนวยการเขต" if info.province == "10" else "นายอำเภอ"
                new_users.append(self._new_user(role=Role.DISTRICT_HEAD, position=head_title, district=info.code,
                                                province=info.province, kind=2))  # fmt: skip
        for code in province_names:
            if not existing.get((code, Role.PROVINCE_OFFICER)):
                new_users.append(self._new_user(role=Role.PROVINCE_OFFICER, position="เจ้าพนักงานปกครองชำนาญการ",
                                                district=None, province=code, kind=4))  # fmt: skip
            if not existing.get((code, Role.PROVINCE_HEAD)):
                new_users.append(self._new_user(role=Role.PROVINCE_HEAD, position="รองผู้ว่าราชการจังหวัด",
                                                district=None, province=code, kind=5))  # fmt: skip
        self._save_users(new_users)
        for user in new_users:
            key = (user.district_id or user.province_id, user._bench_role)
            existing.setdefault(key, []).append(Person(user.pk, user.get_full_name()))
        for info in districts.values():
            info.officers = existing[(info.code, Role.DISTRICT_OFFICER)]
            info.head = existing[(info.code, Role.DISTRICT_HEAD)][0]
        self._ensure_teams(districts)
        provinces = {
            code: (existing[(code, Role.PROVINCE_OFFICER)][0], existing[(code, Role.PROVINCE_HEAD)][0])
            for code in province_names
        }
        return provinces

    def _save_users(self, new_users: list[User]) -> None:
        if not new_users:
            return
        User.objects.bulk_create(new_users, batch_size=2000)
        through = User.roles.through
        through.objects.bulk_create(
            [through(user_id=user.pk, role_id=user._bench_role) for user in new_users], batch_size=5000
        )
        self.created_users += len(new_users)

    def _ensure_teams(self, districts: dict[str, DistrictInfo]) -> None:
        teams: dict[str, list[TeamInfo]] = {}
        for team in (
            Team.objects.filter(is_active=True).values("id", "name", "district_id", "subdistrict_id").order_by("id")
        ):
            teams.setdefault(team["district_id"], []).append(
                TeamInfo(team["id"], team["name"], team["subdistrict_id"], [])
            )
        by_id = {team.id: team for group in teams.values() for team in group}
        for row in (
            TeamMembership.objects.filter(team_id__in=by_id, user__is_active=True, user__roles__code=Role.TEAM_MEMBER)
            .values("team_id", "user_id", "user__title", "user__first_name", "user__last_name")
            .order_by("id")
        ):
            name = f"{row['user__title']}{row['user__first_name']} {row['user__last_name']}".strip()
            by_id[row["team_id"]].members.append(Person(row["user_id"], name))

        new_teams: list[tuple[DistrictInfo, Team]] = []
        for info in districts.values():
            if teams.get(info.code):
                continue
            count = min(2, len(info.subdistricts))
            for code, label in self.rng.sample(info.subdistricts, count):
                new_teams.append((info, Team(subdistrict_id=code, district_id=info.code, name=f"ชปต. {label}",
                                             leader_id=info.head.id)))  # fmt: skip
        Team.objects.bulk_create([team for _info, team in new_teams], batch_size=2000)
        self.created_teams += len(new_teams)
        for info, team in new_teams:
            teams.setdefault(info.code, []).append(TeamInfo(team.pk, team.name, team.subdistrict_id, []))

        # Teams without a member get one: a deputy district chief (ปลัดอำเภอ) serving in every
        # team of the district that needs one, and a kamnan of the team's own sub-district.
        pending: list[tuple[TeamInfo, User, str]] = []
        new_users: list[User] = []
        for info in districts.values():
            empty = [team for team in teams.get(info.code, []) if not team.members]
            if not empty:
                continue
            deputy = self._new_user(role=Role.TEAM_MEMBER, position="ปลัดอำเภอ", district=info.code,
                                    province=info.province, kind=3)  # fmt: skip
            new_users.append(deputy)
            for team in empty:
                kamnan = self._new_user(role=Role.TEAM_MEMBER, position="กำนัน", district=info.code,
                                        province=info.province, kind=3)  # fmt: skip
                new_users.append(kamnan)
                pending += [
                    (team, deputy, TeamMembership.Kind.DEPUTY_CHIEF),
                    (team, kamnan, TeamMembership.Kind.KAMNAN),
                ]
        self._save_users(new_users)
        TeamMembership.objects.bulk_create(
            [TeamMembership(team_id=team.id, user_id=user.pk, kind=kind) for team, user, kind in pending],
            batch_size=5000,
        )
        for team, user, _kind in pending:
            team.members.append(Person(user.pk, user.get_full_name()))
        for info in districts.values():
            info.teams = teams.get(info.code, [])


def _full(row) -> str:
    return f"{row['title']}{row['first_name']} {row['last_name']}".strip()


# --- The generator ------------------------------------------------------------------------


class Generator:
    def __init__(self, *, rng: random.Random, seed: int, since: dt.date, now: dt.datetime, stdout):
        self.rng, self.seed, self.stdout = rng, seed, stdout
        self.now = int(now.timestamp())
        self.today = timezone.localdate(now)
        self.tz = timezone.get_current_timezone()
        self.offset = int(now.astimezone(self.tz).utcoffset().total_seconds())
        self.since = since
        self.epoch_day = dt.date(1970, 1, 1).toordinal()
        self._day_text: dict[int, str] = {}
        self._ts_memo: dict[int, str] = {}
        self._norm: dict[str, str] = {}
        self.verify_left = 0
        self.exact_search = False
        self.pools: dict[str, IdPool] = {}
        self.open_states: dict[str, int] = {}
        self._load_reference()

    # Reference data ---------------------------------------------------------------------

    def _load_reference(self) -> None:
        rng = self.rng
        # District weights depend on the seed only, so that a top-up makes the same districts busy.
        spread = random.Random(f"{self.seed}:districts")  # noqa: S311 - test data, not secrets
        province_names = dict(Province.objects.values_list("code", "name_th"))
        self.province_labels = {code: name if code == "10" else f"จังหวัด{name}" for code, name in province_names.items()}
        subdistricts: dict[str, list[tuple[str, str]]] = {}
        for code, district, name in Subdistrict.objects.order_by("code").values_list("code", "district_id", "name_th"):
            prefix = "แขวง" if code.startswith("10") else "ตำบล"
            subdistricts.setdefault(district, []).append((code, f"{prefix}{name}"))
        self.districts: dict[str, DistrictInfo] = {}
        weights = []
        for code, province, name in District.objects.order_by("code").values_list("code", "province_id", "name_th"):
            subs = subdistricts.get(code)
            if not subs:
                continue
            label = name if province == "10" else f"อำเภอ{name}"
            self.districts[code] = DistrictInfo(code, province, label, subs)
            # Busier where there are more sub-districts, in provincial seats and in Bangkok,
            # with a spread of its own so that some districts stand out.
            weight = len(subs) * (1.8 if name.startswith("เมือง") else 1.0) * (3.0 if province == "10" else 1.0)
            weights.append(weight * spread.lognormvariate(0, 0.5))
        if not self.districts:
            raise CommandError("No districts with sub-districts: run migrate (it loads the Thai geography) first.")
        self.district_codes = list(self.districts)
        self.district_cum = list(_accumulate(weights))

        staff = Staff(rng, self.stdout)
        self.province_staff = staff.ensure(self.districts, province_names)
        self.staff = staff

        categories = list(Category.objects.filter(is_active=True).values(
            "id", "parent_id", "name_th", "is_other", "closure_days", "first_reply_days", "progress_days"))  # fmt: skip
        mains = {c["id"]: c for c in categories if c["parent_id"] is None}
        self.category_objects = Category.objects.in_bulk(list(mains))
        self.case_view = Complaint()
        subs_of: dict[int, list[dict]] = {}
        for c in categories:
            if c["parent_id"] in mains:
                subs_of.setdefault(c["parent_id"], []).append(c)
        fragments: dict[str, list[tuple[str, str]]] = {}
        for sub, subject, text in FRAGMENTS:
            fragments.setdefault(sub, []).append((subject, text))
        for story in STORIES:
            fragments.setdefault(story[2], []).append((story[0], story[1]))
        self.topics = []  # (main, sub or None, other_text, subject, text, weight)
        topic_weights = []
        for main in mains.values():
            main_weight = MAIN_WEIGHTS.get(main["name_th"], 2)
            if main["is_other"]:
                for other_text, subject, text in OTHER_FRAGMENTS:
                    self.topics.append((main, None, other_text, subject, text))
                    topic_weights.append(main_weight / len(OTHER_FRAGMENTS))
                continue
            options = []
            for sub in subs_of.get(main["id"], []):
                pairs = fragments.get(sub["name_th"]) or [
                    (f"ร้องเรียนเรื่อง{sub['name_th']}", f"ผู้ร้องได้รับความเดือดร้อนจากกรณี{sub['name_th']}")
                ]
                options += [(sub, subject, text) for subject, text in pairs]
            for sub, subject, text in options:
                self.topics.append((main, sub, "", subject, text))
                topic_weights.append(main_weight / len(options))
        if not self.topics:
            raise CommandError("No active categories: run migrate (it seeds the categories) first.")
        self.topic_cum = list(_accumulate(topic_weights))
        self.respondent_mix = {name: _weighted(pairs) for name, pairs in RESPONDENTS.items()}
        self.default_respondents = _weighted([("person", 60), ("agency_local", 25), (None, 15)])
        self.channels = _weighted(CHANNELS)
        self.outcomes = _weighted(OUTCOME_WEIGHTS)
        self.finished_mix = _weighted(FINISHED_MIX)
        self.open_mix = {age: _weighted(pairs) for age, pairs in OPEN_MIX.items()}

        complaint_type = ContentType.objects.get_for_model(Complaint)
        self.content_type_id = complaint_type.pk
        flow_field = Process._meta.get_field("flow_class")
        task_field = CaseTask._meta.get_field("flow_task")
        assert flow_field.get_prep_value(CaseFlow) == FLOW_CLASS
        self.nodes = {}
        for name, _role in STATE_TASKS.values():
            node = getattr(CaseFlow, name)
            self.nodes[name] = (task_field.get_prep_value(node), node.task_type)

        # Received days, from --since to yesterday: weekdays busier than weekends, and a
        # gentle growth over the years.
        first = since_ordinal = self.since.toordinal()
        last = self.today.toordinal() - 1
        if last < first:
            raise CommandError("--since must be before yesterday.")
        self.day_ordinals, day_weights = [], []
        for ordinal in range(since_ordinal, last + 1):
            weekday = dt.date.fromordinal(ordinal).weekday()
            base = 1.0 if weekday < 5 else (0.3 if weekday == 5 else 0.2)
            self.day_ordinals.append(ordinal)
            day_weights.append(base * (0.8 + 0.4 * (ordinal - first) / max(1, last - first)))
        self.day_cum = list(_accumulate(day_weights))

    def counters(self) -> dict[tuple[str, int], int]:
        """The last running number per (district, fiscal year): the counter rows, or the
        numbers already used if those are ahead."""
        last = {(d, y): n for d, y, n in RunningNumber.objects.values_list("district_id", "fiscal_year", "last")}
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT number_district_id, fiscal_year, max(running_number) FROM cases_complaint "
                "GROUP BY number_district_id, fiscal_year"
            )
            for district, year, used in cursor.fetchall():
                last[(district, year)] = max(last.get((district, year), 0), used)
        return last

    # Helpers ----------------------------------------------------------------------------

    def ts(self, t: int | None) -> str:
        if t is None:
            return NULL
        text = self._ts_memo.get(t)  # a case's few moments are written many times
        if text is not None:
            return text
        day, rest = divmod(t, 86400)
        text = self._day_text.get(day)
        if text is None:
            text = self._day_text[day] = dt.date.fromordinal(self.epoch_day + day).isoformat()
        hour, rest = divmod(rest, 3600)
        minute, second = divmod(rest, 60)
        value = self._ts_memo[t] = f"{text} {hour:02d}:{minute:02d}:{second:02d}+00"
        return value

    def local_midnight(self, ordinal: int) -> int:
        return (ordinal - self.epoch_day) * 86400 - self.offset

    def norm(self, atom: str) -> str:
        if atom.isascii():  # numbers, IDs, phones: nothing Thai to normalise, too many to memo
            return " ".join(atom.split()).casefold()
        value = self._norm.get(atom)
        if value is None:
            value = self._norm[atom] = normalize(atom)
        return value

    def search_document(self, atoms: list[str]) -> str:
        """normalize() of the atoms joined by spaces, from per-atom memos (normalisation is
        local to a word group); the first cases of every batch are checked against the
        whole-text normalize, and any difference switches to it for the rest of the run."""
        atoms = [a for a in atoms if a]
        if self.exact_search:
            return normalize(" ".join(atoms))
        document = " ".join(self.norm(a) for a in atoms)
        if self.verify_left:
            self.verify_left -= 1
            exact = normalize(" ".join(atoms))
            if exact != document:
                self.exact_search = True
                self.stdout.write("search document memo differs from normalize(); using normalize() from now on")
                return exact
        return document

    def person_name(self) -> tuple[str, str, str]:
        rng = self.rng
        if rng.random() < 0.5:
            return "นาย", rng.choice(FIRST_NAMES_M), rng.choice(SURNAMES)
        return ("นาง" if rng.random() < 0.6 else "นางสาว"), rng.choice(FIRST_NAMES_F), rng.choice(SURNAMES)

    def citizen_id(self) -> str:
        rng = self.rng
        return make_national_id(f"{rng.randint(1, 8)}{rng.randrange(10**11):011d}")

    def pool(self, table: str) -> IdPool:
        pool = self.pools.get(table)
        if pool is None:
            pool = self.pools[table] = IdPool(table, 50_000)
        return pool

    def choose_state(self, age_days: float) -> str:
        rng = self.rng
        p_open = 0.03 + 0.85 * math.exp(-age_days / 90)
        if rng.random() < p_open:
            mix = self.open_mix["new" if age_days < 3 else ("recent" if age_days < 30 else "old")]
        else:
            mix = self.finished_mix
        return rng.choices(mix[0], cum_weights=mix[1])[0]

    def plan(self, final: str) -> list[str]:
        rng = self.rng
        progress = [RP] * rng.choice((0, 1, 1, 1, 2, 2, 3))
        investigate = [PA, AA, ACC]
        if final == "received":
            return [PA, SB] if rng.random() < 0.08 else []
        if final == "assignment_pending":
            return [PA]
        if final == "assigned":
            return [PA, AA]
        if final == "investigating":
            if rng.random() < 0.15:
                return [*investigate, FWD, REPLY, *progress]
            return investigate + progress
        if final == "resolution_pending":
            if rng.random() < 0.12:
                return [PA, AA, ESC, PR]
            return [*investigate, *(progress or [RP]), PR]
        if final == "forwarded":
            return [FWD] if rng.random() < 0.5 else [*investigate, *progress, FWD]
        if final == "escalated":
            roll = rng.random()
            return [ESC] if roll < 0.3 else ([PA, AA, ESC] if roll < 0.7 else [*investigate, RP, ESC])
        if final == "closed":
            prefix = [PA, SB] if rng.random() < 0.05 else []
            return [*prefix, *investigate, *(progress or [RP]), PR, AC]
        if final == "closed_forward":
            return [*investigate, FWD, REPLY, *(progress or [RP]), PR, AC]
        if final == "closed_escalated":
            return [ESC, PR, AC] if rng.random() < 0.3 else [PA, AA, ESC, PR, AC]
        if final == "withdrawn":
            return [*investigate[: rng.randint(0, 3)], WD]
        if final == "rejected":
            return [REJ]
        raise ValueError(final)

    # One case ---------------------------------------------------------------------------

    def case(self, batch: Batch, counters: dict, ordinal_hint: float) -> None:
        rng, ts, rows, pool = self.rng, self.ts, batch.rows, self.pool
        self._ts_memo.clear()

        # Where, when, what.
        code = rng.choices(self.district_codes, cum_weights=self.district_cum)[0]
        info = self.districts[code]
        index = min(len(self.day_ordinals) - 1, int(ordinal_hint))
        ordinal = self.day_ordinals[index]
        received_on = dt.date.fromordinal(ordinal)
        t0 = self.local_midnight(ordinal) + rng.randint(8 * 3600 + 1800, 16 * 3600 + 1800)
        t0 = min(t0, self.now - 3600)
        main, sub, other_text, subject_core, text_core = rng.choices(self.topics, cum_weights=self.topic_cum)[0]
        fiscal_year = fiscal_year_be(received_on)
        number = counters.get((code, fiscal_year), 0) + 1
        counters[(code, fiscal_year)] = number
        batch.running_numbers[(code, fiscal_year)] = number
        case_number = f"{code}/{fiscal_year}/{number:06d}"

        teams = info.teams
        if teams and rng.random() < 0.45:
            team = rng.choice(teams)
            subdistrict = next(
                (s for s in info.subdistricts if s[0] == team.subdistrict), rng.choice(info.subdistricts)
            )
        else:
            subdistrict = rng.choice(info.subdistricts)
            team = next((t for t in teams if t.subdistrict == subdistrict[0]), None) or (
                rng.choice(teams) if teams else None
            )
        moo = str(rng.randint(1, 15))

        subject_atoms = [subject_core] if rng.random() < 0.7 else [subject_core, subdistrict[1]]
        opening = rng.choice(OPENINGS)
        duration = rng.choice(DURATIONS)
        text_atoms = [opening + text_core, "เหตุเกิดที่หมู่", moo, subdistrict[1], info.label]
        if rng.random() < 0.6:
            text_atoms += [duration[0], str(rng.randint(2, 12)), duration[1]]
        text_atoms.append(rng.choice(REQUESTS))
        subject = " ".join(subject_atoms)
        description = " ".join(text_atoms)
        house = f"{rng.randint(1, 250)}/{rng.randint(1, 9)}" if rng.random() < 0.5 else str(rng.randint(1, 400))
        address_atoms = ["หมู่", moo] if rng.random() < 0.5 else ["บ้านเลขที่", house, "หมู่", moo]
        incident_address = " ".join(address_atoms)

        # The complainant and the respondent.
        recorder = rng.choice(info.officers)
        complaint_id = pool("cases_complaint").take()
        doc_atoms = [case_number, *subject_atoms, *text_atoms, other_text, *address_atoms]
        anonymous = rng.random() < 0.04
        confidential = not anonymous and rng.random() < 0.06
        title, first, last = ("", "", "") if anonymous else self.person_name()
        citizen = self.citizen_id() if not anonymous and rng.random() < 0.7 else ""
        phone = f"0{rng.choice('689')}{rng.randrange(10**8):08d}" if rng.random() < 0.9 else ""
        home = rng.choice(info.subdistricts) if rng.random() < 0.2 else subdistrict
        home_address = "" if anonymous else f"บ้านเลขที่ {house} หมู่ {rng.randint(1, 15)} {home[1]} {info.label}"
        if not anonymous and not confidential:
            doc_atoms += [first, last, citizen, phone]
        person_id = pool("cases_complainant").take()
        person_row = (f"{person_id}\t{'t' if anonymous else 'f'}\t{'t' if confidential else 'f'}\t{citizen}\t{title}\t"
                      f"{first}\t{last}\t{phone}\t{esc(home_address)}\t{home[0]}\t{complaint_id}")  # fmt: skip
        rows["cases_complainant"].append(person_row + "\n")
        rows["cases_historicalcomplainant"].append(f"{pool('cases_historicalcomplainant').take()}\t{person_row}"
                                                   f"\t{ts(t0)}\t{NULL}\t+\t{recorder.id}\n")  # fmt: skip

        kinds, cum = self.respondent_mix.get(main["name_th"], self.default_respondents)
        kind = rng.choices(kinds, cum_weights=cum)[0]
        if kind is not None:
            party_name, position, party_kind = self._respondent(kind, info, subdistrict)
            doc_atoms += [party_name, position]
            party_id = pool("cases_respondent").take()
            party_row = f"{party_id}\t{party_kind}\t{esc(party_name)}\t{esc(position)}\t\t\t\t{complaint_id}\t{NULL}"
            rows["cases_respondent"].append(party_row + "\n")
            rows["cases_historicalrespondent"].append(
                f"{pool('cases_historicalrespondent').take()}\t{party_row}\t{ts(t0)}\t{NULL}\t+\t{recorder.id}\n"
            )

        # The story: which steps, by whom, when.
        age_days = (self.now - t0) / 86400
        final = self.choose_state(age_days)
        actions = self.plan(final)
        if not teams:  # a district whose teams are all inactive: nothing to assign to
            actions = [a for a in actions if a in (FWD, REJ, WD)][:1]
        gaps = [rng.uniform(*GAPS[a]) * 86400 for a in actions]
        available = self.now - 120 - t0
        total = sum(gaps)
        if total > available:
            scale = available * rng.uniform(0.5, 0.98) / total
            gaps = [g * scale for g in gaps]
        times, t = [], t0
        for gap in gaps:
            t += max(1, int(gap))
            times.append(t)

        # Walk the steps, as the services would: fields, event, history row, tasks.
        status = Status.RECEIVED
        escalated, team_id, outcome, summary, closed_at = False, None, "", "", None
        p_outcome, p_summary, first_reply, last_progress = "", "", None, None
        category = main
        process_id = pool("viewflow_process").take()
        static = "\t".join((
            str(complaint_id), self._code(), str(fiscal_year), str(number), rng.choices(self.channels[0], cum_weights=self.channels[1])[0],
            received_on.isoformat(), ts(t0), esc(other_text), esc(subject), esc(description), esc(incident_address),
            NULL, NULL, (received_on + dt.timedelta(days=main["closure_days"])).isoformat(), NULL,
            str(sub["id"]) if sub else NULL, code, subdistrict[0], str(main["id"]), info.province, str(recorder.id), code,
        ))  # fmt: skip
        hist_rows = rows["cases_historicalcomplaint"]
        hist_pool = pool("cases_historicalcomplaint")
        event_rows = rows["cases_caseevent"]
        event_pool = pool("cases_caseevent")
        task_rows = rows["workflows_casetask"]

        def dynamic() -> str:
            return (f"{status}\t{'t' if escalated else 'f'}\t{outcome}\t{esc(summary)}\t{ts(closed_at)}\t{p_outcome}\t"
                    f"{esc(p_summary)}\t{team_id if team_id else NULL}\t{ts(first_reply)}\t{ts(last_progress)}")  # fmt: skip

        hist_rows.append(f"{hist_pool.take()}\t{static}\t{dynamic()}\t{ts(t0)}\tintake\t+\t{recorder.id}\n")
        event_rows.append(f"{event_pool.take()}\tintake\t\t{Status.RECEIVED}\t{esc(recorder.name)}\t{ts(t0)}\t\t{{}}\t"
                          f"{recorder.id}\t{complaint_id}\n")  # fmt: skip

        # The case as the engine sees it (queue_for, due_at), kept up to date step by step:
        # one unsaved Complaint, reset for every case.
        case_view = self.case_view
        case_view.district_id, case_view.province_id, case_view.received_on = code, info.province, received_on
        case_view.main_category = self.category_objects[category["id"]]
        case_view.is_escalated, case_view.team_id, case_view.last_progress_at = False, None, None
        # The open task: [id, node, created, due epoch]
        task = self._open_task(batch, "triage", t0, case_view, code, info.province, None)
        previous_task = None
        forwarding = None
        province_officer, province_head = self.province_staff[info.province]
        case_team = None
        for action, t in zip(actions, times, strict=True):
            from_status = status
            note, data = "", {}
            if action == PA:
                case_team = team if team else rng.choice(teams)
                team_id = case_team.id
                actor = rng.choice(info.officers)
                data = {"team": case_team.name}
            elif action == AA:
                actor, data = info.head, {"team": case_team.name}
            elif action == SB:
                actor, note = info.head, rng.choice(NOTES[SB])
                team_id, case_team = None, None
            elif action == ACC:
                actor = rng.choice(case_team.members) if case_team.members else rng.choice(info.officers)
                last_progress = t
            elif action == RP:
                actor = (
                    rng.choice(case_team.members)
                    if case_team and case_team.members and rng.random() < 0.8
                    else rng.choice(info.officers)
                )
                note = rng.choice(PROGRESS_TEXTS)
                report_id = pool("cases_progressreport").take()
                rows["cases_progressreport"].append(
                    f"{report_id}\t{note}\t{NULL}\t{NULL}\t{ts(t)}\t{actor.id}\t{complaint_id}\n"
                )
                data = {"report": report_id, "photos": 0}
                last_progress = t
                first_reply = first_reply or t
            elif action == PR:
                if escalated:
                    actor = province_officer
                elif case_team and case_team.members and rng.random() < 0.8:
                    actor = rng.choice(case_team.members)
                else:
                    actor = rng.choice(info.officers)
                p_outcome = rng.choices(self.outcomes[0], cum_weights=self.outcomes[1])[0]
                p_summary = note = rng.choice(SUMMARIES[p_outcome])
                data = {"outcome": str(p_outcome)}
            elif action == AC:
                actor = province_head if escalated else info.head
                outcome, summary, closed_at = p_outcome, p_summary, t
                first_reply = first_reply or t
                note, data = summary, {"outcome": str(outcome)}
            elif action == FWD:
                actor = rng.choice(info.officers)
                agency = rng.choice(FORWARD_AGENCIES).format(p=self.province_labels[info.province], d=info.label)
                letter = f"มท {code}.{rng.randint(1, 9)}/{rng.randint(100, 9999)}"
                note = rng.choice(NOTES[FWD])
                forwarding = [agency, letter, t, note, actor.id, "", "", None, None]
                data = {"agency": agency, "letter_number": letter}
            elif action == REPLY:
                actor = rng.choice(info.officers)
                note = rng.choice(NOTES[REPLY])
                forwarding[5], forwarding[6] = note, f"{rng.randint(100, 9999)}/{fiscal_year}"
                forwarding[7], forwarding[8] = t, actor.id
                data = {"agency": forwarding[0]}
            elif action == ESC:
                actor, note = info.head, rng.choice(NOTES[ESC])
                escalated = True
            elif action == REJ:
                actor, note = info.head, rng.choice(NOTES[REJ])
                closed_at = t
            elif action == WD:
                actor, note = rng.choice(info.officers), rng.choice(NOTES[WD])
                outcome, closed_at = Outcome.WITHDRAWN, t
            status = TARGETS[action]

            hist_rows.append(f"{hist_pool.take()}\t{static}\t{dynamic()}\t{ts(t)}\t{action}\t~\t{actor.id}\n")
            event_rows.append(
                f"{event_pool.take()}\t{action}\t{from_status}\t{status}\t{esc(actor.name)}\t{ts(t)}\t{esc(note)}\t"
                f"{esc(json.dumps(data, ensure_ascii=False))}\t{actor.id}\t{complaint_id}\n"
            )
            case_view.is_escalated, case_view.team_id = escalated, team_id
            case_view.last_progress_at = _aware(last_progress)
            if action == RP:
                task[3] = last_progress + category["progress_days"] * 86400  # engine.progress_reported
                continue
            # The open task is done by the actor; the state's task (if any) opens.
            self._finish_task(batch, task, t, actor.id, process_id, previous_task, complaint_id, code, info.province)
            previous_task = task
            node = STATE_TASKS.get(status, (None,))[0]
            task = None
            if node:
                task = self._open_task(batch, node, t, case_view, code, info.province,
                                       team_id if node == "investigate" else None)  # fmt: skip

        # What is left: the case row, its process and its open task.
        finished = task is None
        end = times[-1] if times else t0
        if task is not None:
            name = task[1]
            created = _aware(task[2])
            due = engine.due_at(name, case_view, created)  # exactly as the engine stamps it
            queue_name = engine.queue_for(name, case_view)
            owner, assigned = NULL, NULL
            if rng.random() < CLAIMED_SHARE:
                owner = self._claimer(queue_name, info, case_team, province_officer, province_head)
                assigned = ts(min(self.now - 60, task[2] + rng.randint(300, 86400)))
            task_rows.append(
                f"{task[0]}\t{self.nodes[name][0]}\t{self.nodes[name][1]}\tNEW\t{ts(task[2])}\t{assigned}\t{NULL}\t{NULL}\t"
                f"{TOKEN}\t{{}}\t{queue_name}\t{ts(int(due.timestamp()))}\t{complaint_id}\t{code}\t{owner}\t{process_id}\t"
                f"{info.province}\t{team_id if name == 'investigate' and team_id else NULL}\n"
            )
            if previous_task is not None:
                rows["workflows_casetask_previous"].append(
                    f"{pool('workflows_casetask_previous').take()}\t{task[0]}\t{previous_task[0]}\n"
                )
            self.open_states[status] = self.open_states.get(status, 0) + 1
        rows["viewflow_process"].append(
            f"{process_id}\t{FLOW_CLASS}\t{'DONE' if finished else 'NEW'}\t{ts(t0)}\t{ts(end) if finished else NULL}\t"
            f"{self.content_type_id}\t{complaint_id}\t{{}}\n"
        )
        if forwarding is not None:
            agency, letter, t_fwd, f_note, by, reply, reply_letter, t_reply, reply_by = forwarding
            rows["cases_forwarding"].append(
                f"{pool('cases_forwarding').take()}\t{esc(agency)}\t{esc(letter)}\t{_local_date(t_fwd, self.offset)}\t"
                f"{esc(f_note)}\t{ts(t_fwd)}\t{esc(reply)}\t{esc(reply_letter)}\t"
                f"{_local_date(t_reply, self.offset) if t_reply else NULL}\t{complaint_id}\t{by}\t{reply_by or NULL}\n"
            )
        document = self.search_document(doc_atoms)
        rows["cases_complaint"].append(f"{static}\t{dynamic()}\t{esc(document)}\t{ts(end)}\n")
        batch.cases += 1

    def _code(self) -> str:
        return "".join(self.rng.choices(ALPHABET, k=LENGTH))

    def _respondent(self, kind: str, info: DistrictInfo, subdistrict) -> tuple[str, str, str]:
        rng = self.rng
        tambon = subdistrict[1].removeprefix("ตำบล").removeprefix("แขวง")
        if kind == "person":
            title, first, last = self.person_name()
            return f"{title}{first} {last}", "", "person"
        if kind == "company":
            word = rng.choice(COMPANY_WORDS)
            return rng.choice([f"บริษัท {word} จำกัด", f"ห้างหุ้นส่วนจำกัด {word}", f"ร้าน{word}"]), "", "company"
        if kind == "company_finance":
            return f"บริษัท {rng.choice(COMPANY_WORDS)} ลิสซิ่ง จำกัด", "", "company"
        if kind == "official":
            title, first, last = self.person_name()
            return f"{title}{first} {last}", f"{rng.choice(OFFICIAL_POSITIONS)} {info.label}", "official"
        if kind == "agency_land":
            return f"สำนักงานที่ดิน{self.province_labels[info.province]}", "", "agency"
        if kind == "agency_utility":
            return rng.choice([f"การไฟฟ้าส่วนภูมิภาค{info.label}", f"การประปาส่วนภูมิภาค{info.label}"]), "", "agency"
        if info.province == "10":
            return f"สำนักงาน{info.label}", "", "agency"
        return rng.choice([f"องค์การบริหารส่วนตำบล{tambon}", f"เทศบาลตำบล{tambon}"]), "", "agency"

    def _open_task(self, batch, node, t, case_view, code, province, team_id) -> list:
        """A task the flow just opened: [id, node, created, due (epoch seconds)]."""
        category = case_view.main_category
        if node == "triage":
            due = self.local_midnight(case_view.received_on.toordinal() + category.first_reply_days) + 86399
        elif node == "investigate":
            since = case_view.last_progress_at
            due = (int(since.timestamp()) if since else t) + category.progress_days * 86400
        elif node == "await_agency":
            due = t + settings.SLA_AGENCY_REPLY_DAYS * 86400
        elif node == "handle_escalation":
            due = t + settings.SLA_ESCALATION_DAYS * 86400
        else:
            due = t + settings.SLA_APPROVAL_DAYS * 86400
        return [self.pool("workflows_casetask").take(), node, t, due, engine.queue_for(node, case_view), team_id]

    def _finish_task(self, batch, task, t, owner_id, process_id, previous, complaint_id, code, province) -> None:
        task_id, node, created, due, queue_name, team_id = task
        flow_task, task_type = self.nodes[node]
        batch.rows["workflows_casetask"].append(
            f"{task_id}\t{flow_task}\t{task_type}\tDONE\t{self.ts(created)}\t{NULL}\t{self.ts(t)}\t{self.ts(t)}\t{TOKEN}\t"
            f"{{}}\t{queue_name}\t{self.ts(due)}\t{complaint_id}\t{code}\t{owner_id}\t{process_id}\t{province}\t"
            f"{team_id if team_id else NULL}\n"
        )
        if previous is not None:
            batch.rows["workflows_casetask_previous"].append(
                f"{self.pool('workflows_casetask_previous').take()}\t{task_id}\t{previous[0]}\n"
            )

    def _claimer(self, queue_name, info, case_team, province_officer, province_head) -> str:
        rng = self.rng
        if queue_name == Role.DISTRICT_OFFICER:
            return str(rng.choice(info.officers).id)
        if queue_name == Role.DISTRICT_HEAD:
            return str(info.head.id)
        if queue_name == Role.TEAM_MEMBER and case_team and case_team.members:
            return str(rng.choice(case_team.members).id)
        if queue_name == Role.PROVINCE_OFFICER:
            return str(province_officer.id)
        if queue_name == Role.PROVINCE_HEAD:
            return str(province_head.id)
        return NULL


def _accumulate(values):
    total = 0.0
    for value in values:
        total += value
        yield total


def _aware(t: int | None) -> dt.datetime | None:
    return None if t is None else dt.datetime.fromtimestamp(t, tz=dt.UTC)


def _local_date(t: int, offset: int) -> str:
    return dt.datetime.fromtimestamp(t + offset, tz=dt.UTC).date().isoformat()


def _check_schema() -> None:
    """Refuse early, in words, when the database is behind the models or a table has gained a
    required column this command does not fill (the COPY would fail half-way otherwise)."""
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        raise CommandError("The database has unapplied migrations: run manage.py migrate first.")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema() "
            "AND table_name = ANY(%s) AND is_nullable = 'NO' AND column_default IS NULL AND is_identity = 'NO'",
            [list(COLUMNS)],
        )
        missing = [
            f"{table}.{column}"
            for table, column in cursor.fetchall()
            if column not in {c.strip() for c in COLUMNS[table].split(",")}
        ]
    if missing:
        raise CommandError(f"Required columns this command does not fill yet: {', '.join(missing)}. Update COLUMNS.")


# --- The command --------------------------------------------------------------------------


class Command(BaseCommand):
    help = (
        "Add N generated complaints (Thai text, every state, timelines, history and workflow tasks) "
        "to a PostgreSQL database, fast (COPY), for the benchmarks in bench/. Re-run to add more."
    )

    def add_arguments(self, parser):
        parser.add_argument("count", type=int, help="How many complaints to add.")
        parser.add_argument("--seed", type=int, default=2569, help="Random seed (default 2569).")
        parser.add_argument(
            "--batch", type=int, default=20_000, help="Complaints per COPY transaction (default 20000)."
        )
        parser.add_argument(
            "--since", type=dt.date.fromisoformat, default=None,
            help="First received date, YYYY-MM-DD (default: 1 October three fiscal years ago).",
        )  # fmt: skip
        parser.add_argument("--serial", action="store_true", help="Do not generate the next batch while copying one.")
        parser.add_argument(
            "--analyze-only", action="store_true", help="ANALYZE at the end instead of VACUUM (ANALYZE)."
        )

    def handle(self, *args, count, seed, batch, since, serial, analyze_only, **options):
        if connection.vendor != "postgresql":
            raise CommandError(
                "generate_bench_data is a PostgreSQL benchmark tool (COPY, sequences); this database is "
                f"{connection.vendor}. Set DATABASE_URL=postgres://... to a database of its own (see bench/README.md)."
            )
        if not settings.DEBUG:
            raise CommandError(
                "generate_bench_data refuses to run with DEBUG off: it fills the database with fake cases."
            )
        if count < 1 or batch < 1:
            raise CommandError("count and --batch must be positive.")
        _check_schema()
        started = time.perf_counter()
        now = timezone.now()
        today = timezone.localdate(now)
        since = since or fiscal_year_start(fiscal_year_be(today) - 3)
        first_id = Complaint.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        # The seed and the database's state together: a top-up never repeats a run's codes.
        rng = random.Random(f"{seed}:{first_id}")  # noqa: S311 - test data, not secrets
        with connection.cursor() as cursor:
            cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            replica = bool(cursor.fetchone()[0])
        self.stdout.write(
            f"database {connection.settings_dict['NAME']}: adding {count} cases received {since} to "
            f"{today - dt.timedelta(days=1)}, batches of {batch}"
            + ("" if replica else " (not a superuser: foreign-key triggers stay on, slower)")
        )

        generator = Generator(rng=rng, seed=seed, since=since, now=now, stdout=self.stdout)
        counters = generator.counters()
        self.stdout.write(
            f"staff ready in {time.perf_counter() - started:.1f}s: {generator.staff.created_users} officers and "
            f"{generator.staff.created_teams} teams created, {len(generator.districts)} districts"
        )
        progress = {"cases": 0, "t": time.perf_counter()}
        loading = time.perf_counter()

        def done(finished: Batch) -> None:
            progress["cases"] += finished.cases
            elapsed = time.perf_counter() - loading
            self.stdout.write(
                f"  {progress['cases']:>9} cases  {elapsed:7.1f}s  {progress['cases'] / elapsed:7.0f} cases/s"
            )

        writer = Writer(replica=replica, serial=serial, on_done=done)
        days = len(generator.day_ordinals)
        # Cases are generated in received order, spread over the days by their weights.
        day_cum, total_weight = generator.day_cum, generator.day_cum[-1]
        generate_seconds = 0.0
        try:
            for start in range(0, count, batch):
                t_batch = time.perf_counter()
                current = Batch()
                generator.verify_left = 20
                for i in range(start, min(count, start + batch)):
                    target = (i + rng.random()) / count * total_weight
                    generator.case(current, counters, min(days - 1, bisect.bisect_left(day_cum, target)))
                generate_seconds += time.perf_counter() - t_batch
                writer.put(current)
        finally:
            writer.close()
        load_seconds = time.perf_counter() - loading

        tables = list(COLUMNS) + [
            "cases_runningnumber",
            "core_user",
            "core_user_roles",
            "cases_team",
            "cases_teammembership",
        ]
        maintenance = time.perf_counter()
        with connection.cursor() as cursor:
            command = "ANALYZE" if analyze_only else "VACUUM (ANALYZE)"
            for table in tables:
                cursor.execute(f"{command} {table}")
        maintenance_seconds = time.perf_counter() - maintenance
        total = time.perf_counter() - started

        written = writer.rows_written
        self.stdout.write("rows added: " + ", ".join(f"{table} {n}" for table, n in written.items() if n))
        self.stdout.write(
            "open cases added: " + ", ".join(f"{state} {n}" for state, n in sorted(generator.open_states.items()))
        )
        self.stdout.write(
            f"done: {count} cases in {total:.1f}s ({count / total:.0f} cases/s): loading {load_seconds:.1f}s "
            f"(generating {generate_seconds:.1f}s, copying {writer.copy_seconds:.1f}s, "
            f"{'serial' if serial else 'overlapped'}), {command} {maintenance_seconds:.1f}s"
        )
        if generator.exact_search:
            self.stdout.write("note: search documents were normalised whole (memo check failed once)")
        self.stdout.write(f"complaints now: {Complaint.objects.count()}")
