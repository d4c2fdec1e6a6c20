-- Demo data for `karirbot chat --demo`: one regional office, its people, trainings, mentors,
-- plans and one promotion file in progress. Every name is invented. Dates are relative to the
-- day the demo database is created (temp.seed.today), so deadlines are always ahead of you.
-- Also the fixture organisation of the transcript and integration tests.

INSERT INTO units(id, name, zone, workdays) VALUES
  (1, 'Dinas Komunikasi dan Informatika', 'WITA', 5),
  (2, 'BKPSDM', 'WITA', 5);

-- nip: birth date, TMT CPNS (YYYYMM), gender (1 man, 2 woman), sequence
INSERT INTO employees(id, nip, name, asn_kind, grade, tmt_grade, education, position,
                      position_kind, unit_id, supervisor_id, perf_last, perf_prev,
                      credit_points, stlud, updated_at) VALUES
  (1, '196905201994031002', 'Agus Setiawan', 'PNS', 'IV/c', '2019-04-01', 's2',
      'Kepala Dinas', 'struktural', 1, NULL, 'Sangat Baik', 'Baik', NULL, NULL, 0),
  (2, '197804152003121004', 'Hendra Pratama', 'PNS', 'IV/a', '2020-10-01', 's2',
      'Kepala Bidang Aplikasi Informatika', 'struktural', 1, 1, 'Baik', 'Baik', NULL, NULL, 0),
  (3, '197512082000032002', 'Ratna Sari', 'PNS', 'IV/a', '2018-04-01', 's2',
      'Kepala Bidang Statistik', 'struktural', 1, 1, 'Sangat Baik', 'Sangat Baik', NULL, NULL, 0),
  (4, '199003222015032001', 'Dewi Lestari', 'PNS', 'III/b', '2021-04-01', 's1',
      'Pranata Komputer Ahli Pertama', 'fungsional', 1, 2, 'Baik', 'Baik', NULL, NULL, 0),
  (5, '199107102019031005', 'Rudi Hartono', 'PNS', 'III/a', '2019-03-01', 's1',
      'Pengolah Data dan Informasi', 'pelaksana', 1, 2, 'Baik', 'Sangat Baik', NULL, NULL, 0),
  (6, '198805172010012003', 'Siti Rahmawati', 'PNS', 'III/b', '2018-04-01', 'slta',
      'Pengadministrasi Perkantoran', 'pelaksana', 1, 3, 'Baik', 'Baik', NULL, 1, 0),
  (7, '197002141996011001', 'Bambang Wijaya', 'PNS', 'IV/b', '2021-10-01', 's2',
      'Analis Kebijakan Ahli Madya', 'fungsional', 1, 1, 'Sangat Baik', 'Baik', 410, NULL, 0),
  (8, '199411302023212015', 'Yuni Kartika', 'PPPK', 'IX', NULL, 's1',
      'Pranata Komputer Ahli Pertama', 'fungsional', 1, 2, 'Baik', NULL, NULL, NULL, 0),
  (9, '198601092011011007', 'Fajar Nugroho', 'PNS', 'III/c', '2022-04-01', 's1',
      'Analis Data dan Informasi', 'pelaksana', 1, 3, 'Baik', 'Baik', NULL, NULL, 0),
  (10, '199903152025032006', 'Maya Anggraini', 'CPNS', 'III/a', '2025-03-01', 's1',
      'Pranata Komputer Ahli Pertama', 'fungsional', 1, 3, NULL, NULL, NULL, NULL, 0),
  (11, '198207112006042008', 'Lina Marlina', 'PNS', 'III/d', '2020-04-01', 's1',
      'Analis Sumber Daya Manusia Aparatur', 'fungsional', 2, NULL, 'Baik', 'Baik', NULL,
      NULL, 0);
UPDATE units SET hr_employee_id = 11;

-- In the demo every employee but Maya has a terminal account: `karirbot chat --demo --as NIP`
-- speaks as that person (user and chat id 2000000000 + employee id). Maya links with a code.
INSERT INTO links(employee_id, user_id, chat_id, linked_at)
  SELECT id, 2000000000 + id, 2000000000 + id, 0 FROM employees WHERE id <> 10;

INSERT INTO trainings(id, code, title, provider, form, start_date, end_date, jp, quota,
                      deadline, min_grade, cost, competency, status) VALUES
  (1, 'BPSDM-2026-031', 'Bimbingan Teknis Analisis Data dengan Python', 'BPSDM Provinsi',
      'klasikal', date((SELECT today FROM temp.seed), '+30 days'),
      date((SELECT today FROM temp.seed), '+32 days'), 24, 20,
      date((SELECT today FROM temp.seed), '+14 days'), 'III/a', 1500000, 'teknis', 'buka'),
  (2, 'LAN-2026-117', 'Pelatihan Penulisan Naskah Kebijakan', 'LAN', 'klasikal',
      date((SELECT today FROM temp.seed), '+45 days'),
      date((SELECT today FROM temp.seed), '+47 days'), 30, 1,
      date((SELECT today FROM temp.seed), '+21 days'), 'III/a', 2750000, 'teknis', 'buka'),
  (3, 'LAN-EL-2026-05', 'E-Learning Manajemen ASN', 'LAN', 'e-learning',
      date((SELECT today FROM temp.seed), '+7 days'),
      date((SELECT today FROM temp.seed), '+60 days'), 20, 100,
      date((SELECT today FROM temp.seed), '+30 days'), NULL, 0, 'manajerial', 'buka'),
  (4, 'BPSDM-2026-040', 'Pelatihan Kepemimpinan Administrator', 'BPSDM Provinsi', 'klasikal',
      date((SELECT today FROM temp.seed), '+60 days'),
      date((SELECT today FROM temp.seed), '+120 days'), 60, 5,
      date((SELECT today FROM temp.seed), '+25 days'), 'IV/a', 18000000, 'manajerial', 'buka'),
  (5, 'BPSDM-2026-022', 'Workshop Keamanan Informasi', 'BPSDM Provinsi', 'klasikal',
      date((SELECT today FROM temp.seed), '+5 days'),
      date((SELECT today FROM temp.seed), '+6 days'), 10, 25,
      date((SELECT today FROM temp.seed), '-3 days'), NULL, 750000, 'teknis', 'buka');

-- The only seat of the policy-writing course is taken: the next registration waits.
INSERT INTO registrations(training_id, employee_id, reason, status, seat, created_at,
                          updated_at) VALUES
  (2, 7, 'Mendukung penyusunan naskah akademik', 'diterima', 1, 0, 0);

INSERT INTO mentors(employee_id, areas, capacity) VALUES
  (3, 'analisis data|statistik|kebijakan publik', 2),
  (7, 'kebijakan publik|penulisan naskah dinas', 1),
  (2, 'pengembangan aplikasi|manajemen proyek|analisis data', 2);

-- Bambang mentors Siti already, so he has no room; Ratna mentors Fajar and has one place.
INSERT INTO mentor_requests(id, mentee_id, mentor_id, kind, area, topic, status, created_at,
                            decided_at) VALUES
  (1, 6, 7, 'mentoring', 'penulisan naskah dinas', 'Menyusun nota dinas', 'diterima', 0, 0),
  (2, 9, 3, 'mentoring', 'analisis data', 'Analisis data statistik sektoral', 'diterima', 0, 0);
INSERT INTO mentor_sessions(request_id, held_on, topic, minutes, logged_by, created_at) VALUES
  (2, date((SELECT today FROM temp.seed), '-20 days'), 'Menyusun indikator statistik', 90, 3, 0);

-- Dewi's plan for this year, approved by her supervisor.
INSERT INTO rpi_plans(id, employee_id, year, status, submitted_at, approved_at) VALUES
  (1, 4, CAST(strftime('%Y', (SELECT today FROM temp.seed)) AS INTEGER), 'disetujui', 0, 0),
  (2, 5, CAST(strftime('%Y', (SELECT today FROM temp.seed)) AS INTEGER), 'draf', NULL, NULL);
INSERT INTO rpi_activities(plan_id, form, title, competency, target_date, jp_planned,
                           jp_recognised, status, done_on, verified_at, verified_by,
                           created_at, updated_at) VALUES
  (1, 'e_learning', 'E-Learning Literasi Digital ASN', 'teknis',
      date((SELECT today FROM temp.seed), '-60 days'), 10, 10, 'selesai',
      date((SELECT today FROM temp.seed), '-62 days'), 0, 2, 0, 0),
  (1, 'seminar', 'Seminar Transformasi Digital Pemerintahan', 'teknis',
      date((SELECT today FROM temp.seed), '-20 days'), 5, 0, 'rencana', NULL, NULL, NULL, 0, 0),
  (1, 'kursus', 'Kursus Analisis Data', 'teknis',
      date((SELECT today FROM temp.seed), '+7 days'), 24, 0, 'berjalan', NULL, NULL, NULL, 0, 0),
  (1, 'coaching', 'Coaching penyusunan laporan kinerja', 'manajerial',
      date((SELECT today FROM temp.seed), '+30 days'), 2, 0, 'rencana', NULL, NULL, NULL, 0, 0),
  (2, 'bimtek', 'Bimtek Pengelolaan Data Kepegawaian', 'teknis',
      date((SELECT today FROM temp.seed), '+45 days'), 16, 0, 'rencana', NULL, NULL, NULL, 0, 0);

-- Fajar's promotion to III/d, waiting at BKN's validation for twelve days.
INSERT INTO promotions(id, employee_id, kind, target_grade, period) VALUES
  (1, 9, 'reguler', 'III/d',
      date((SELECT today FROM temp.seed), 'start of month', '+1 month'));
INSERT INTO promotion_stages(promotion_id, stage, reached_on, note) VALUES
  (1, 'disiapkan', date((SELECT today FROM temp.seed), '-40 days'), NULL),
  (1, 'verifikasi_instansi', date((SELECT today FROM temp.seed), '-33 days'), NULL),
  (1, 'entri_siasn', date((SELECT today FROM temp.seed), '-26 days'), NULL),
  (1, 'persetujuan_eselon3', date((SELECT today FROM temp.seed), '-21 days'), NULL),
  (1, 'validasi_bkn', date((SELECT today FROM temp.seed), '-12 days'), NULL);
